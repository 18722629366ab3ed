"use client";

import { useState } from "react";
import { BUILTIN_FIELDS, SUBSCRIPTION_KEYS, type SubscriptionKey } from "@/lib/fields";
import { FLAG_PARAM, MAX_QUERY_LENGTH } from "@/lib/targets/member-query";
import { useHydrated } from "@/components/use-hydrated";
import { CustomFieldFilter, type FieldChoice } from "./custom-field-filter";
import type { FlagChoice, MemberForm } from "./member-form";

type Props = { form: MemberForm; fields: FieldChoice[]; importName: string | null; onChange: (patch: Partial<MemberForm>) => void };

const LABEL = new Map<string, string>(BUILTIN_FIELDS.map((f) => [f.key, f.label]));

function FlagSelect({ flag, value, onPick }: { flag: SubscriptionKey; value: FlagChoice | undefined; onPick: (v: FlagChoice | undefined) => void }) {
  return (
    <label>
      {LABEL.get(flag)}
      <select name={FLAG_PARAM[flag]} value={value ?? ""} onChange={(e) => onPick((e.target.value || undefined) as FlagChoice | undefined)}>
        <option value="">Any</option>
        <option value="yes">Yes</option>
        <option value="no">No</option>
        <option value="unknown">Unknown</option>
      </select>
    </label>
  );
}

/** "Changed by import X", removable. */
function ImportChip({ id, name, onRemove }: { id: string; name: string | null; onRemove: () => void }) {
  return (
    <p className="chip">
      <input type="hidden" name="import" value={id} />
      Changed by import <a href={`/imports/${encodeURIComponent(id)}`}>{name ?? id}</a>{" "}
      <button type="button" className="link" onClick={onRemove}>
        Remove<span className="visually-hidden"> this filter</span>
      </button>
    </p>
  );
}

/**
 * The search box and the filters. They change the list as they change; a
 * GET form with the URL's own parameter names as well, so the search works
 * before the page's script runs.
 */
export function MemberFilters({ form, fields, importName, onChange }: Props) {
  const hydrated = useHydrated();
  const setCount = SUBSCRIPTION_KEYS.filter((k) => form.flags[k]).length + (form.field ? 1 : 0);
  // open at first when the URL sets one; then as the user leaves it
  const [openAtStart] = useState(setCount > 0);
  return (
    <form role="search" aria-label="Members" method="get" action="/members" className="member-search" onSubmit={(e) => e.preventDefault()}>
      <label className="field">
        Search members
        <input
          type="search"
          name="q"
          value={form.q}
          maxLength={MAX_QUERY_LENGTH}
          autoComplete="off"
          spellCheck={false}
          aria-describedby="member-search-hint"
          onChange={(e) => onChange({ q: e.target.value })}
        />
      </label>
      <p id="member-search-hint" className="hint">
        Member number, first or last name, email, or phone number.
      </p>
      {form.changedBy && <ImportChip id={form.changedBy} name={importName} onRemove={() => onChange({ changedBy: "" })} />}
      <details open={openAtStart}>
        <summary>Filters{setCount > 0 ? ` (${setCount} set)` : ""}</summary>
        <div className="filters">
          {SUBSCRIPTION_KEYS.map((k) => (
            <FlagSelect key={k} flag={k} value={form.flags[k]} onPick={(v) => onChange({ flags: { ...form.flags, [k]: v } })} />
          ))}
          <CustomFieldFilter form={form} fields={fields} onChange={onChange} />
        </div>
      </details>
      {form.sort !== "external_id" && <input type="hidden" name="sort" value={form.sort} />}
      {form.dir !== "asc" && <input type="hidden" name="dir" value={form.dir} />}
      {form.limit !== undefined && <input type="hidden" name="limit" value={form.limit} />}
      {/* the list follows each change once the script runs; before that, the form is sent */}
      {!hydrated && <button type="submit">Search</button>}
    </form>
  );
}
