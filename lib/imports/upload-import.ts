// Admin uploads arrive in pieces: begin (with the file's headers and the
// column mapping), pieces of rows, finish. Only finish accepts the job (gives
// it its place in the merge order). Every step is idempotent, so a double
// click, a retried request or a re-sent form never makes a second import:
// the browser names the upload with an id it made itself.
import "server-only";
import { z } from "zod";
import type { Db } from "../db/client";
import { loadCatalog } from "../custom-fields/load-catalog";
import { AppError } from "../errors";
import { checkMapping, hasProblems } from "../jobs/column-check";
import { env } from "../env";
import { acceptUpload, beginUpload as beginUploadJob, stageUploadPiece, startFromPreview, type UploadLimits } from "../jobs/accept-upload";
import { signalJobAccepted } from "../jobs/job-signal";
import { MAX_PIECE_ROWS } from "../upload/piece-limits";
import { conflictStrategySchema } from "../vocabulary";
import { isStorable, storableString, UNSTORABLE_MESSAGE } from "../storable-text";
import { zodDetails } from "../zod-details";

/** Most rows an upload may announce; most pieces; most bytes of cells in one piece. */
export const MAX_UPLOAD_ROWS = 5_000_000;
export const MAX_UPLOAD_PIECES = 10_000;

export const beginUploadSchema = z.object({
  uploadId: z.uuid(),
  fileName: storableString().trim().min(1).max(255),
  columns: z.array(storableString().max(1000)).min(1).max(500),
  mapping: z.array(z.string().max(100)).min(1).max(500),
  strategy: conflictStrategySchema,
  totalRows: z.number().int().min(1).max(MAX_UPLOAD_ROWS),
  /** The wizard's "Preview changes": a dry run of the file, started for real later without sending it again. */
  dryRun: z.boolean().default(false),
});
export const appendUploadSchema = z.object({
  uploadId: z.uuid(),
  no: z.number().int().min(0).max(MAX_UPLOAD_PIECES - 1),
  rows: z
    .array(z.array(z.string()))
    .min(1)
    .max(MAX_PIECE_ROWS)
    .superRefine((rows, ctx) => {
      // one pass over every cell, not a check object per cell
      for (let r = 0; r < rows.length; r++) {
        const c = rows[r].findIndex((cell) => !isStorable(cell));
        if (c >= 0) return void ctx.addIssue({ code: "custom", path: [r, c], message: UNSTORABLE_MESSAGE });
      }
    }),
});
export const finishUploadSchema = z.object({ uploadId: z.uuid() });
export const startPreviewSchema = z.object({ previewId: z.uuid() });

export type BeginUploadInput = z.infer<typeof beginUploadSchema>;
export type AppendUploadInput = z.infer<typeof appendUploadSchema>;

function parse<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const r = schema.safeParse(input);
  if (!r.success) throw new AppError("invalid_payload", "The upload is not valid", { details: zodDetails(r.error) });
  return r.data;
}

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

export async function beginUpload(d: Db, staffUserId: string, raw: unknown): Promise<{ id: string }> {
  const input = parse(beginUploadSchema, raw);
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

export async function appendUploadChunk(d: Db, staffUserId: string, raw: unknown): Promise<void> {
  const input = parse(appendUploadSchema, raw);
  await stageUploadPiece(d.sql, { id: input.uploadId, staffUserId, no: input.no, rows: input.rows }, uploadLimits());
}

/** Accepts the upload: it gets the next place in the merge order. */
export async function finishUpload(d: Db, staffUserId: string, raw: unknown): Promise<{ id: string }> {
  const { uploadId } = parse(finishUploadSchema, raw);
  const accepted = await acceptUpload(d.sql, { id: uploadId, staffUserId });
  signalJobAccepted();
  return accepted;
}

/** "Start import" after the preview: the same staged file as a real job, next in the merge order (idempotent). */
export async function startPreviewedImport(d: Db, staffUserId: string, raw: unknown): Promise<{ id: string }> {
  const { previewId } = parse(startPreviewSchema, raw);
  const accepted = await startFromPreview(d.sql, { previewId, staffUserId });
  if (!accepted.reused) signalJobAccepted();
  return { id: accepted.id };
}
