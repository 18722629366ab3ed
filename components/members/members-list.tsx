"use client";

import { useSearchParams } from "next/navigation";
import { useState } from "react";
import type { MemberList } from "@/lib/targets/list-members";
import { QueryProvider } from "@/components/query-provider";
import { useHydrated } from "@/components/use-hydrated";
import type { FieldChoice } from "./custom-field-filter";
import { MemberFilters } from "./member-filters";
import { exportHref, formFromParams, pageHref, paramsOf, type MemberForm } from "./member-form";
import { MembersTable } from "./members-table";
import { useMembers, type MembersState } from "./use-members";

type Props = {
  /** The parameters the server read the first list for (no cursor), and that list (null: it refused them). */
  params: string;
  initial: MemberList | null;
  fields: FieldChoice[];
  /** The title of the import the URL filters by, when it has one. */
  importName: string | null;
  /** The member just erased, to say so. */
  erased: string | null;
};

/** "1 member", "1,234 members", "10,000+ members" (counted no further). */
function countText(list: MemberList): string {
  const n = list.count.toLocaleString("en-GB");
  return list.more ? `${n}+ members` : `${n} ${list.count === 1 ? "member" : "members"}`;
}

function Pager({ members }: { members: MembersState }) {
  if (!members.previous && !members.next) return null;
  // aria-disabled, not disabled: the button keeps the focus on the first or last page
  return (
    <nav className="pager" aria-label="Member pages">
      <button type="button" aria-disabled={!members.previous} onClick={() => members.previous?.()}>
        Previous page
      </button>
      <span>Page {members.page}</span>
      <button type="button" aria-disabled={!members.next} onClick={() => members.next?.()}>
        Next page
      </button>
    </nav>
  );
}

function Members(props: Props) {
  const hydrated = useHydrated();
  // from the address as it is now: back from a member's page, the page may be the one first rendered for other parameters
  const address = useSearchParams();
  const [form, setForm] = useState(() => formFromParams(address));
  const [initialKey] = useState(() => paramsOf(formFromParams(new URLSearchParams(props.params))).toString());
  const params = paramsOf(form).toString();
  const members = useMembers(params, { params: initialKey, list: props.initial });
  const list = members.list;
  // the address follows the list (for a link or a reload) without asking the server for the page again
  const change = (patch: Partial<MemberForm>) => {
    const next = { ...form, ...patch };
    setForm(next);
    window.history.replaceState(null, "", pageHref(next));
  };
  return (
    <div className="members" data-hydrated={hydrated}>
      {props.erased && <p className="note">Member {props.erased} was erased.</p>}
      <MemberFilters form={form} fields={props.fields} importName={props.importName} onChange={change} />
      <div className="list-summary">
        {/* announced politely as the list changes; the focus stays where the user is */}
        <p role="status" data-testid="member-count">
          {list ? `${countText(list)}${members.page > 1 ? `, page ${members.page}` : ""}` : ""}
        </p>
        <a href={exportHref(form)} download>
          Export these members
        </a>
      </div>
      {members.error && (
        <p className="failure" role="alert">
          {members.error}
        </p>
      )}
      {list && list.members.length > 0 && (
        <MembersTable
          members={list.members}
          busy={members.busy}
          sorting={{ sort: form.sort, dir: form.dir, onSort: (sort, dir) => change({ sort, dir }) }}
        />
      )}
      {list && list.members.length === 0 && <p>No members match this search.</p>}
      <Pager members={members} />
    </div>
  );
}

/** The members list: search, filters, sort and pages, each kept in the page's address. */
export function MembersList(props: Props) {
  return (
    <QueryProvider>
      <Members {...props} />
    </QueryProvider>
  );
}
