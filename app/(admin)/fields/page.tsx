import { requireStaffUser } from "@/lib/auth/staff-session";
import { MAX_CUSTOM_FIELDS, MAX_FILTERABLE_FIELDS } from "@/lib/custom-fields/custom-field-schema";
import { listCustomFields } from "@/lib/custom-fields/custom-fields";
import { fieldFilterStates } from "@/lib/custom-fields/filter-indexes";
import { db } from "@/lib/db/client";
import { DataTable } from "@/components/data-table";
import { CreateFieldForm, RenameField } from "@/components/fields/field-forms";
import { FilterableToggle } from "@/components/fields/filterable-toggle";

export const dynamic = "force-dynamic";

const KIND_TEXT = { text: "Text", float: "Number", date: "Date" } as const;

/** What a field's filter index is doing, in words (staff see this; admins the toggle). */
function filterStateText({ filterable, ready }: { filterable: boolean; ready: boolean }): string {
  if (!filterable) return "No";
  return ready ? "Yes, ready" : "Yes, being prepared";
}

// Everyone sees the catalogue; only admins add or rename fields (the actions
// check it too: lib/actions/custom-fields.ts).
export default async function FieldsPage() {
  const user = await requireStaffUser();
  const isAdmin = user.role === "admin";
  const [fields, states] = await Promise.all([listCustomFields(db()), fieldFilterStates(db())]);
  const stateOf = (slug: string) => states[slug] ?? { filterable: false, ready: false };
  const filterable = fields.filter((f) => stateOf(f.slug).filterable).length;
  const full = filterable >= MAX_FILTERABLE_FIELDS;
  return (
    <main>
      <h1>Custom fields</h1>
      <p>Extra columns your imports and API calls can fill in, named by their slug.</p>
      {!isAdmin && (
        <p className="note" data-testid="fields-admins-only">
          Only admins add or rename custom fields. If you need a new one, ask one of your admins.
        </p>
      )}
      {fields.length === 0 ? (
        <p>No custom fields yet.</p>
      ) : (
        <>
          <p id="filter-members-note">
            Members can be filtered by any field, but on a long list only quickly by a field ticked under &ldquo;Filter
            members&rdquo;: each one is indexed, which makes imports slower (writing members takes about a tenth
            longer per field). At most {MAX_FILTERABLE_FIELDS}.
          </p>
          {isAdmin && full && (
            <p className="note" data-testid="filterable-limit">
              {filterable} fields filter members, the most this app indexes. Turn one off to choose another.
            </p>
          )}
          <DataTable label="Custom fields" columns={["Label", "Slug", "Kind", "Filter members"]}>
            {fields.map((f) => (
              <tr key={f.slug}>
                <td>{isAdmin ? <RenameField field={f} /> : f.label}</td>
                <td>
                  <code>{f.slug}</code>
                </td>
                <td>{KIND_TEXT[f.kind]}</td>
                <td>{isAdmin ? <FilterableToggle field={f} state={stateOf(f.slug)} full={full} /> : filterStateText(stateOf(f.slug))}</td>
              </tr>
            ))}
          </DataTable>
        </>
      )}
      {isAdmin && (
        <>
          <h2>New field</h2>
          {fields.length >= MAX_CUSTOM_FIELDS ? (
            <p className="note">
              There are {fields.length} custom fields, the most this app keeps ({MAX_CUSTOM_FIELDS}). Rename one that is no
              longer used instead.
            </p>
          ) : (
            <CreateFieldForm />
          )}
        </>
      )}
    </main>
  );
}
