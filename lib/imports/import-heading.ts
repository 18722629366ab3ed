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

/** What a job imported: its file, else "API import" (records or a CSV by URL sent through the API). */
const whatOf = (job: { fileName: string | null; apiUserId: string | null }) => job.fileName ?? (job.apiUserId ? "API import" : "Import");

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
  const title = job.source === "revert" ? `Undo of ${undone ? whatOf(undone) : "an import"}` : job.dryRun ? `Preview of ${whatOf(job)}` : whatOf(job);
  const startedBy = job.apiUser ? `${job.apiUser.name} (API)` : staff ? (staff.name ? `${staff.name} (${staff.email})` : staff.email) : "Staff";
  return { title, startedBy, startedAt: `${WHEN.format(job.createdAt)} UTC` };
}
