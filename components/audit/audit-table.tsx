import Link from "next/link";
import type { AuditRow } from "@/lib/audit/list-audit";
import { AUDIT_ACTION_LABEL } from "@/lib/audit/audit-labels";
import { DataTable } from "@/components/data-table";

const ACTOR_KIND = { staff: "", api: " (API)", system: "" } as const;

/** What it was done to: an import links to its page; the rest as recorded. */
function Subject({ entry }: { entry: AuditRow }) {
  if (!entry.subject) return null;
  if (entry.subjectType === "job") return <Link href={`/imports/${entry.subject}`}>Import {entry.subject.slice(0, 8)}</Link>;
  return (
    <>
      {entry.subjectType ? `${entry.subjectType} ` : ""}
      <code>{entry.subject}</code>
    </>
  );
}

const detailText = (detail: AuditRow["detail"]) =>
  Object.entries(detail)
    .map(([k, v]) => `${k.replace(/_/g, " ")}: ${v === "" ? "(none)" : String(v)}`)
    .join(" · ");

export function AuditTable({ entries }: { entries: AuditRow[] }) {
  return (
    <DataTable label="Audit log" columns={["When (UTC)", "Who", "From", "What", "On what", "Details"]}>
      {entries.map((e) => (
        <tr key={e.id}>
          <td>{e.at.toLocaleString("en-GB", { timeZone: "UTC" })}</td>
          <td>
            {e.actorName}
            {ACTOR_KIND[e.actorType]}
          </td>
          <td>{e.address ?? "—"}</td>
          <td>{AUDIT_ACTION_LABEL[e.action] ?? e.action}</td>
          <td>
            <Subject entry={e} />
          </td>
          <td>{detailText(e.detail)}</td>
        </tr>
      ))}
    </DataTable>
  );
}
