"use client";

import type { CustomFieldKind } from "@/lib/fields";
import type { MemberForm } from "./member-form";

/** `quick`: an admin made the field filterable and its index is ready (decision 027); others are read member by member. */
export type FieldChoice = { slug: string; label: string; kind: CustomFieldKind; quick: boolean };

type Props = { form: MemberForm; fields: FieldChoice[]; onChange: (patch: Partial<MemberForm>) => void };

/** One custom field: a text field by its value, a number or a date by a range (either end may stay open). */
export function CustomFieldFilter({ form, fields, onChange }: Props) {
  if (fields.length === 0) return null;
  const field = fields.find((f) => f.slug === form.field);
  const type = field?.kind === "date" ? "date" : "number";
  return (
    <>
      <label>
        Custom field
        {/* another field's value would not fit this one: each choice starts empty */}
        <select name="field" value={form.field} onChange={(e) => onChange({ field: e.target.value, eq: "", min: "", max: "" })}>
          <option value="">None</option>
          {fields.map((f) => (
            <option key={f.slug} value={f.slug}>
              {f.label}
            </option>
          ))}
        </select>
      </label>
      {field && !field.quick && (
        <p className="note" id="custom-field-slow">
          {field.label} is read member by member: slow on a long list. An admin can make it quick on the fields page.
        </p>
      )}
      {field?.kind === "text" && (
        <label>
          {field.label} is
          <input name="eq" value={form.eq} maxLength={100} onChange={(e) => onChange({ eq: e.target.value })} />
        </label>
      )}
      {field && field.kind !== "text" && (
        <>
          <label>
            {field.label} from
            <input name="min" type={type} step="any" value={form.min} onChange={(e) => onChange({ min: e.target.value })} />
          </label>
          <label>
            {field.label} to
            <input name="max" type={type} step="any" value={form.max} onChange={(e) => onChange({ max: e.target.value })} />
          </label>
        </>
      )}
    </>
  );
}
