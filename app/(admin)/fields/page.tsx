import { requireStaffUser } from "@/lib/auth/staff-session";
import { listCustomFields } from "@/lib/custom-fields/custom-fields";
import { db } from "@/lib/db/client";
import { CreateFieldForm, RenameField } from "@/components/fields/field-forms";

export const dynamic = "force-dynamic";

const KIND_TEXT = { text: "Text", float: "Number", date: "Date" } as const;

export default async function FieldsPage() {
  await requireStaffUser();
  const fields = await listCustomFields(db());
  return (
    <main>
      <h1>Custom fields</h1>
      <p>Extra columns your imports and API calls can fill in, named by their slug.</p>
      {fields.length === 0 ? (
        <p>No custom fields yet.</p>
      ) : (
        <table className="data" aria-label="Custom fields">
          <thead>
            <tr>
              <th scope="col">Label</th>
              <th scope="col">Slug</th>
              <th scope="col">Kind</th>
            </tr>
          </thead>
          <tbody>
            {fields.map((f) => (
              <tr key={f.slug}>
                <td>
                  <RenameField field={f} />
                </td>
                <td>
                  <code>{f.slug}</code>
                </td>
                <td>{KIND_TEXT[f.kind]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>New field</h2>
      <CreateFieldForm />
    </main>
  );
}
