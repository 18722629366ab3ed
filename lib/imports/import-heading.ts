import "server-only";
import type { Db } from "../db/client";

// What an import's page is titled with: the file (or "API import"), who
// started it and when, so a finished import is told apart from the others in
// a tab, a bookmark or the browser's history.
export type ImportHeading = {
  /** "branch.csv", "API import", "Preview of branch.csv", "Undo of branch.csv" */
  title: string;
  /** "Ann Smith (ann@example.org)", or the API user's name with "(API)" */
  startedBy: string;
  /** "6 Dec 2026, 23:05 UTC" */
  startedAt: string;
};

const WHEN = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

type Imported = { fileName: string | null; apiUserId: string | null };

/** What a job imported: its file, else "API import" (records or a CSV by URL sent through the API). */
const whatOf = (job: Imported) => job.fileName ?? (job.apiUserId ? "API import" : "Import");

/** A job's title: what it imported, a preview of it, or the undo of what another job imported (`undone`). */
export function importTitle(job: Imported & { source: string; dryRun: boolean }, undone: Imported | null): string {
  return job.source === "revert" ? `Undo of ${undone ? whatOf(undone) : "an import"}` : job.dryRun ? `Preview of ${whatOf(job)}` : whatOf(job);
}

/**
 * Who started a job, as its page and a member's history say it: the staff
 * user, else the API user. Staff come first: their undo of an API user's
 * import belongs to that API user too (who may follow it), but staff started it.
 */
export function startedByOf(apiUser: { name: string } | null, staff: { name: string | null; email: string } | null): string {
  return staff ? (staff.name ? `${staff.name} (${staff.email})` : staff.email) : apiUser ? `${apiUser.name} (API)` : "Staff";
}

/** The heading of job `id`, or null when there is no such job. */
export async function getImportHeading(d: Db, id: string): Promise<ImportHeading | null> {
  const job = await d.prisma.importJob.findUnique({
    where: { id },
    select: { source: true, dryRun: true, fileName: true, reverts: true, apiUserId: true, staffUserId: true, createdAt: true, apiUser: { select: { name: true } } },
  });
  if (!job) return null;
  const [staff, undone] = await Promise.all([
    job.staffUserId ? d.prisma.staffUser.findUnique({ where: { id: job.staffUserId }, select: { name: true, email: true } }) : null,
    job.reverts ? d.prisma.importJob.findUnique({ where: { id: job.reverts }, select: { fileName: true, apiUserId: true } }) : null,
  ]);
  return { title: importTitle(job, undone), startedBy: startedByOf(job.apiUser, staff), startedAt: `${WHEN.format(job.createdAt)} UTC` };
}
