import Link from "next/link";
import { requireStaffUser } from "@/lib/auth/staff-session";
import { db } from "@/lib/db/client";
import { listImports, listImportsQuerySchema } from "@/lib/imports/list-imports";
import { PURGED_REASON } from "@/lib/jobs/revertible";
import { formatDuration } from "@/lib/formats/duration";
import { JOB_SOURCE_LABEL, jobSourceSchema, PUBLIC_STATUS_LABEL, publicStatusSchema } from "@/lib/vocabulary";

export const dynamic = "force-dynamic";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function pageHref(query: { status?: string; source?: string }, page: number) {
  const p = new URLSearchParams();
  if (query.status) p.set("status", query.status);
  if (query.source) p.set("source", query.source);
  if (page > 1) p.set("page", String(page));
  const s = p.toString();
  return s ? `/imports?${s}` : "/imports";
}

export default async function ImportsPage({ searchParams }: { searchParams: SearchParams }) {
  await requireStaffUser();
  const query = listImportsQuerySchema.parse(await searchParams);
  const { items, page, pageCount, total } = await listImports(db(), query);

  return (
    <main>
      <h1>Imports</h1>
      <form method="get" className="filters" aria-label="Filter imports">
        <label>
          Status{" "}
          <select name="status" defaultValue={query.status ?? ""}>
            <option value="">All</option>
            {publicStatusSchema.options.map((s) => (
              <option key={s} value={s}>
                {PUBLIC_STATUS_LABEL[s]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Source{" "}
          <select name="source" defaultValue={query.source ?? ""}>
            <option value="">All</option>
            {jobSourceSchema.options.map((s) => (
              <option key={s} value={s}>
                {JOB_SOURCE_LABEL[s]}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Filter</button>
      </form>

      {items.length === 0 ? (
        <p>No imports yet{query.status || query.source ? " match these filters" : ""}.</p>
      ) : (
        <table className="data" aria-label="Imports">
          <thead>
            <tr>
              <th scope="col">Started</th>
              <th scope="col">Source</th>
              <th scope="col">Started by</th>
              <th scope="col">File or records</th>
              <th scope="col">Status</th>
              <th scope="col">Created</th>
              <th scope="col">Updated</th>
              <th scope="col">Unchanged</th>
              <th scope="col">Rejected</th>
              <th scope="col">Duration</th>
            </tr>
          </thead>
          <tbody>
            {items.map((job) => (
              <tr key={job.id}>
                <td>
                  <Link href={`/imports/${job.id}`}>{job.createdAt.toLocaleString("en-GB", { timeZone: "UTC" })} UTC</Link>
                </td>
                <td>
                  {JOB_SOURCE_LABEL[job.source]}
                  {job.reverts && (
                    <>
                      {" "}
                      (<Link href={`/imports/${job.reverts}`}>the import it undoes</Link>)
                    </>
                  )}
                  {job.dryRun && <span className="note"> · preview, changed nothing</span>}
                </td>
                <td>
                  {job.startedBy.name}
                  {job.startedBy.kind === "api" ? " (API)" : ""}
                </td>
                <td>{job.fileName ?? (job.csvUrl ? new URL(job.csvUrl).pathname.split("/").pop() : `${job.total ?? "?"} records`)}</td>
                <td>
                  <span className={`status status-${job.status}`}>{PUBLIC_STATUS_LABEL[job.status]}</span>
                  {job.revertedBy && (
                    <>
                      {" "}
                      · <Link href={`/imports/${job.revertedBy}`}>undone</Link>
                    </>
                  )}
                  {job.detailsExpiredAt && (
                    <span
                      className="note"
                      title="Its rows, problems and the data kept to undo it were deleted after the retention period; its counts remain"
                    >
                      {" "}
                      · details deleted {job.detailsExpiredAt.toLocaleDateString("en-GB")}
                      {job.notRevertible === PURGED_REASON ? ", can no longer be undone" : ""}
                    </span>
                  )}
                </td>
                <td>{job.created}</td>
                <td>{job.updated}</td>
                <td>{job.unchanged}</td>
                <td>{job.rejected}</td>
                <td>
                  {job.startedAt && job.finishedAt ? formatDuration(job.finishedAt.getTime() - job.startedAt.getTime()) : "—"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav className="pager" aria-label="Pages">
        {page > 1 && <Link href={pageHref(query, page - 1)}>Previous</Link>}
        <span>
          Page {page} of {pageCount} ({total} {total === 1 ? "import" : "imports"})
        </span>
        {page < pageCount && <Link href={pageHref(query, page + 1)}>Next</Link>}
      </nav>
    </main>
  );
}
