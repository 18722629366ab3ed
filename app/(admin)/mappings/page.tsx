import { requireStaffUser } from "@/lib/auth/staff-session";
import { db } from "@/lib/db/client";
import { listSavedMappings } from "@/lib/saved-mappings/list-saved-mappings";
import { MAX_SAVED_MAPPINGS } from "@/lib/saved-mappings/saved-mapping-schema";
import { SKIP } from "@/lib/fields";
import { DataTable } from "@/components/data-table";
import { SavedMappingRowActions } from "@/components/mappings/saved-mapping-row-actions";

export const dynamic = "force-dynamic";

// Every staff member sees the shared list; rename and delete are offered to
// each mapping's author and to admins (decision 012), and checked again by
// the actions.
export default async function MappingsPage() {
  const user = await requireStaffUser();
  const mappings = await listSavedMappings(db(), user);
  return (
    <main>
      <h1>Saved mappings</h1>
      <p>
        Column choices saved in the upload wizard, for everyone on the staff to reuse. Save a new one from the wizard’s
        “Match the columns” step. Its author or an admin can rename or delete it ({mappings.length} of at most{" "}
        {MAX_SAVED_MAPPINGS}).
      </p>
      {mappings.length === 0 ? (
        <p>No saved mappings yet.</p>
      ) : (
        <DataTable
          label="Saved mappings"
          columns={["Name", "Columns", "Saved by", "Last changed", <span key="actions" className="visually-hidden">Actions</span>]}
        >
          {mappings.map((m) => (
            <tr key={m.id}>
              <th scope="row">{m.name}</th>
              <td>
                {m.columns
                  .filter((c) => c.field !== SKIP)
                  .map((c) => `${c.column} → ${c.field}`)
                  .join(" · ")}
                {m.columns.some((c) => c.field === SKIP) &&
                  ` · not imported: ${m.columns
                    .filter((c) => c.field === SKIP)
                    .map((c) => c.column)
                    .join(", ")}`}
              </td>
              <td>{m.createdBy ?? "(account removed)"}</td>
              <td>{new Date(m.updatedAt).toLocaleString("en-GB", { timeZone: "UTC" })} UTC</td>
              <td>{m.canChange && <SavedMappingRowActions id={m.id} name={m.name} />}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </main>
  );
}
