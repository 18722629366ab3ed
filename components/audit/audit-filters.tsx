import { AUDIT_ACTIONS } from "@/lib/audit/audit-entry";
import { AUDIT_ACTION_LABEL } from "@/lib/audit/audit-labels";
import { SYSTEM_ACTOR_FILTER, type AuditQuery } from "@/lib/audit/audit-query";

export type ActorOption = { id: string; name: string; kind: "staff" | "api" };

/** The log's filters, sent as the page's query (a plain GET form: no script needed). */
export function AuditFilters({ query, actors }: { query: AuditQuery; actors: ActorOption[] }) {
  return (
    <form method="get" action="/audit" className="filters" aria-label="Filter the audit log">
      <label>
        Who{" "}
        <select name="actor" defaultValue={query.actor ?? ""}>
          <option value="">Anyone</option>
          {actors.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
              {a.kind === "api" ? " (API)" : ""}
            </option>
          ))}
          <option value={SYSTEM_ACTOR_FILTER}>The service itself</option>
        </select>
      </label>
      <label>
        What{" "}
        <select name="action" defaultValue={query.action ?? ""}>
          <option value="">Anything</option>
          {AUDIT_ACTIONS.map((a) => (
            <option key={a} value={a}>
              {AUDIT_ACTION_LABEL[a]}
            </option>
          ))}
        </select>
      </label>
      <label>
        From <input type="date" name="from" defaultValue={query.from ?? ""} />
      </label>
      <label>
        To <input type="date" name="to" defaultValue={query.to ?? ""} />
      </label>
      <button type="submit">Filter</button>
    </form>
  );
}
