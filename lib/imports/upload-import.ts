// Admin uploads arrive in pieces: begin (with the file's headers and the
// column mapping), pieces of rows, finish. Only finish accepts the job (gives
// it its place in the merge order). Every step is idempotent, so a double
// click, a retried request or a re-sent form never makes a second import:
// the browser names the upload with an id it made itself.
import "server-only";
import type { AuditBy } from "../audit/audit-actor";
import type { Db } from "../db/client";
import { loadCatalog } from "../custom-fields/load-catalog";
import { AppError } from "../errors";
import { checkMapping, hasProblems } from "../jobs/column-check";
import { env } from "../env";
import { acceptUpload, beginUpload as beginUploadJob, stageUploadPiece, startFromPreview, type UploadLimits } from "../jobs/accept-upload";
import { signalJobAccepted } from "../jobs/job-signal";
import type { AppendUploadInput, BeginUploadInput, FinishUploadInput, StartPreviewInput } from "./upload-schema";

/** Checks a mapping for staff: one column to external_id, no field twice, fields that exist. */
export async function checkUploadMapping(d: Db, columns: string[], mapping: string[]): Promise<void> {
  const details: { path: string; message: string }[] = [];
  if (mapping.length !== columns.length) details.push({ path: "mapping", message: "one choice per column" });
  const p = checkMapping(mapping, await loadCatalog(d.sql));
  for (const i of p.unknown) details.push({ path: `mapping[${i}]`, message: `${mapping[i]} is not a field` });
  for (const [i, j] of p.repeated) {
    details.push({ path: `mapping[${i}]`, message: `"${columns[i]}" and "${columns[j]}" both go to ${mapping[i]}` });
  }
  if (p.missingExternalId) details.push({ path: "mapping", message: "choose the column that holds external_id" });
  if (hasProblems(p) || details.length) throw new AppError("invalid_payload", details[0].message, { details });
}

/** Unfinished uploads one staff member may have at once (abandoned ones expire). */
export const MAX_OPEN_UPLOADS = 10;

function uploadLimits(): UploadLimits {
  const e = env();
  return { openUploads: MAX_OPEN_UPLOADS, maxChars: e.CSV_MAX_BYTES, expiryHours: e.UPLOAD_EXPIRY_HOURS };
}

export async function beginUpload(d: Db, staffUserId: string, input: BeginUploadInput): Promise<{ id: string }> {
  await checkUploadMapping(d, input.columns, input.mapping);
  return beginUploadJob(d.sql, {
    id: input.uploadId,
    staffUserId,
    fileName: input.fileName,
    columns: input.columns,
    mapping: input.mapping,
    strategy: input.strategy,
    totalRows: input.totalRows,
    dryRun: input.dryRun,
  }, uploadLimits());
}

export async function appendUploadChunk(d: Db, staffUserId: string, input: AppendUploadInput): Promise<void> {
  await stageUploadPiece(d.sql, { id: input.uploadId, staffUserId, no: input.no, rows: input.rows }, uploadLimits());
}

/** Accepts the upload: it gets the next place in the merge order. `by`: who, for the audit log. */
export async function finishUpload(d: Db, staffUserId: string, { uploadId }: FinishUploadInput, by?: AuditBy): Promise<{ id: string }> {
  const accepted = await acceptUpload(d.sql, { id: uploadId, staffUserId, by });
  signalJobAccepted();
  return accepted;
}

/** "Start import" after the preview: the same staged file as a real job, next in the merge order (idempotent). */
export async function startPreviewedImport(d: Db, staffUserId: string, { previewId }: StartPreviewInput, by?: AuditBy): Promise<{ id: string }> {
  const accepted = await startFromPreview(d.sql, { previewId, staffUserId, by });
  if (!accepted.reused) signalJobAccepted();
  return { id: accepted.id };
}
