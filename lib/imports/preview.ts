// What the wizard's "Preview changes" step shows of a dry-run upload: its
// deferred result, how many of each field's changes clear it, the conflicts
// with other members (named, the first ones), and the confirmation guard.
import "server-only";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { decodeFieldChanges } from "../jobs/job-row";
import { contactGuard, type GuardReason } from "./contact-guard";
import { decodeConflictingIds, deferredResultOf, findVisibleJob, importResultOf, type DeferredResult } from "./deferred-result";

export const PREVIEW_CONFLICTS_SHOWN = 50;

export type PreviewConflict = { row: number; externalId: string | null; field: string | null; conflicting: string[]; ignored: boolean };

export type Preview = {
  job: DeferredResult;
  /** Set once the preview is ready. */
  ready?: {
    fieldClears: Record<string, number>;
    conflicts: { total: number; first: PreviewConflict[] };
    guard: GuardReason[];
  };
};

export async function getPreview(d: Db, id: string, staffUserId: string): Promise<Preview> {
  const row = await findVisibleJob(d, id, { staff: true });
  if (!row.dryRun || row.source !== "upload" || row.staffUserId !== staffUserId) throw new AppError("not_found", "This preview was not found");
  const job = await deferredResultOf(d, row);
  if (job.status !== "ready") return { job };
  const result = importResultOf(job);
  const conflictWhere = { jobId: id, code: { in: ["conflict", "conflict_ignored"] } };
  const [total, first, invalid] = await Promise.all([
    d.prisma.importError.count({ where: conflictWhere }),
    d.prisma.importError.findMany({ where: conflictWhere, orderBy: { seq: "asc" }, take: PREVIEW_CONFLICTS_SHOWN }),
    d.sql.get<{ n: number }>(
      "SELECT COUNT(DISTINCT position) AS n FROM import_error WHERE job_id = ? AND code IN ('invalid_email', 'invalid_phone_number')",
      [id],
    ),
  ]);
  return {
    job,
    ready: {
      fieldClears: decodeFieldChanges(row.fieldClears),
      conflicts: {
        total,
        first: first.map((e) => ({
          row: e.position + 1,
          externalId: e.externalId,
          field: e.field,
          conflicting: e.conflictingExternalIds ? decodeConflictingIds(e.conflictingExternalIds) : [],
          ignored: e.code === "conflict_ignored",
        })),
      },
      guard: contactGuard({
        matched: result.updated + result.unchanged,
        rows: result.total,
        emailChanges: result.field_changes.email ?? 0,
        phoneChanges: result.field_changes.phone_number ?? 0,
        invalidContactRows: Number(invalid?.n ?? 0),
      }),
    },
  };
}
