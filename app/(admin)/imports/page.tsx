import Link from "next/link";
import { requireStaffUser } from "@/lib/auth/staff-session";
import { db } from "@/lib/db/client";
import { listImports, listImportsQuerySchema, type ImportSummary, type ListImportsQuery } from "@/lib/imports/list-imports";
import { PURGED_REASON } from "@/lib/jobs/revertible";
import { formatDuration } from "@/lib/formats/duration";
import { JOB_SOURCE_LABEL, jobSourceSchema, PUBLIC_STATUS_LABEL, publicStatusSchema } from "@/lib/vocabulary";

export const dynamic = "force-dynamic";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function pageHref(query: ListImportsQuery, page: number) {
  const p = new URLSearchParams();
  if (query.status) p.set("status", query.status);
  if (query.source) p.set("source", query.source);
  if (page > 1) p.set("page", String(page));
  const s = p.toString();
  return s ? `/imports?${s}` : "/imports";
}

/** One filter: "All", or one of `options` by its label. */
function FilterSelect<T extends string>(props: { name: string; label: string; value: T | undefined; options: readonly T[]; labels: Record<T, string> }) {
  return (
    <label>
      {props.label}{" "}
      <select name={props.name} defaultValue={props.value ?? ""}>
        <option value="">All</option>
        {props.options.map((s) => (
          <option key={s} value={s}>
            {props.labels[s]}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Status and source filters, sent as the page's query. */
function ImportFilters({ query }: { query: ListImportsQuery }) {
  return (
    <form method="get" className="filters" aria-label="Filter imports">
      <FilterSelect name="status" label="Status" value={query.status} options={publicStatusSchema.options} labels={PUBLIC_STATUS_LABEL} />
      <FilterSelect name="source" label="Source" value={query.source} options={jobSourceSchema.options} labels={JOB_SOURCE_LABEL} />
      <button type="submit">Filter</button>
    </form>
  );
}

/** An import's status, with its undo and whether its details were deleted. */
function ImportStatus({ job }: { job: ImportSummary }) {
  return (
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
  );
}

function ImportRow({ job }: { job: ImportSummary }) {
  return (
    <tr>
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
      <ImportStatus job={job} />
      <td>{job.created}</td>
      <td>{job.updated}</td>
      <td>{job.unchanged}</td>
      <td>{job.rejected}</td>
      <td>{job.startedAt && job.finishedAt ? formatDuration(job.finishedAt.getTime() - job.startedAt.getTime()) : "—"}</td>
    </tr>
  );
}

const COLUMNS = ["Started", "Source", "Started by", "File or records", "Status", "Created", "Updated", "Unchanged", "Rejected", "Duration"];

export default async function ImportsPage({ searchParams }: { searchParams: SearchParams }) {
  await requireStaffUser();
  const query = listImportsQuerySchema.parse(await searchParams);
  const { items, page, pageCount, total } = await listImports(db(), query);

  return (
    <main>
      <h1>Imports</h1>
      <ImportFilters query={query} />
      {items.length === 0 ? (
        <p>No imports yet{query.status || query.source ? " match these filters" : ""}.</p>
      ) : (
        <table className="data" aria-label="Imports">
          <thead>
            <tr>
              {COLUMNS.map((c) => (
                <th key={c} scope="col">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {items.map((job) => (
              <ImportRow key={job.id} job={job} />
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
