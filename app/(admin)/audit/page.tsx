import Link from "next/link";
import { auditQueryParams, auditQuerySchema, auditQueryFromParams, type AuditQuery } from "@/lib/audit/audit-query";
import { auditActors, listAudit } from "@/lib/audit/list-audit";
import { requireStaffUser } from "@/lib/auth/staff-session";
import { db } from "@/lib/db/client";
import { AuditFilters } from "@/components/audit/audit-filters";
import { AuditTable } from "@/components/audit/audit-table";

export const dynamic = "force-dynamic";
export const metadata = { title: "Audit log · Target import" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const href = (path: string, query: Partial<AuditQuery>) => {
  const s = auditQueryParams(query).toString();
  return s ? `${path}?${s}` : path;
};

// Admins only: who did what, from where, newest first. Read-only: no page or route changes an entry.
export default async function AuditPage({ searchParams }: { searchParams: SearchParams }) {
  await requireStaffUser({ role: "admin" });
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(await searchParams)) if (typeof v === "string") params.set(k, v);
  const parsed = auditQuerySchema.safeParse(auditQueryFromParams(params));
  const query: AuditQuery = parsed.success ? parsed.data : {};
  const d = db();
  const [{ entries, next }, actors] = await Promise.all([listAudit(d, query), auditActors(d)]);
  const filters = { ...query, cursor: undefined };
  const filtered = Boolean(query.actor || query.action || query.from || query.to);
  return (
    <main>
      <h1>Audit log</h1>
      <p>
        Who did what, from which address: sign-ins, imports, undos, erasures, exports and changes to accounts, tokens, fields, mappings and
        settings. Members appear by number only. Entries are kept for the retention period set on the server, then deleted.
      </p>
      {!parsed.success && <p role="alert">These filters could not be read; showing every entry.</p>}
      <AuditFilters query={query} actors={actors} />
      <p>
        <a href={href("/audit.csv", filters)} download>
          Download CSV
        </a>{" "}
        ({filtered ? "the entries these filters find" : "every entry"}; the download is itself recorded)
      </p>
      {entries.length === 0 ? (
        <p>No entries{filtered ? " match these filters" : " yet"}.</p>
      ) : (
        <AuditTable entries={entries} />
      )}
      <nav className="pager" aria-label="Pages">
        {query.cursor && <Link href={href("/audit", filters)}>Newest</Link>}
        {next !== null && <Link href={href("/audit", { ...filters, cursor: next })}>Older entries</Link>}
      </nav>
    </main>
  );
}
