// Admin uploads arrive in pieces: begin (with the file's headers and the
// column mapping), append chunks of rows, finish. Only finish accepts the job
// (gives it its place in the merge order). Every step is idempotent, so a
// double click, a retried request or a re-sent form never makes a second
// import: the browser names the upload with an id it made itself.
import { z } from "zod";
import type { Db } from "../db/client";
import { lockNextSeq } from "./accept-order";
import { AppError } from "../errors";
import { loadCatalog } from "../custom-fields/load-catalog";
import { signalJobAccepted } from "../queue/job-signal";
import { isBuiltinKey, SKIP } from "../targets/fields";
import { zodDetails } from "../zod-details";

export const UPLOAD_ROWS_PER_CHUNK = 2000;

export const beginUploadSchema = z.object({
  uploadId: z.uuid(),
  fileName: z.string().trim().min(1).max(255),
  columns: z.array(z.string()).min(1).max(500),
  mapping: z.array(z.string()).min(1).max(500),
  strategy: z.enum(["reject", "ignore"]),
  totalRows: z.number().int().min(1),
});
export const appendUploadSchema = z.object({
  uploadId: z.uuid(),
  no: z.number().int().min(0),
  rows: z.array(z.array(z.string())).min(1).max(UPLOAD_ROWS_PER_CHUNK),
});
export const finishUploadSchema = z.object({ uploadId: z.uuid() });

export type BeginUploadInput = z.infer<typeof beginUploadSchema>;
export type AppendUploadInput = z.infer<typeof appendUploadSchema>;

function parse<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const r = schema.safeParse(input);
  if (!r.success) throw new AppError("invalid_payload", "The upload is not valid", { details: zodDetails(r.error) });
  return r.data;
}

async function ownUpload(d: Db, staffUserId: string, uploadId: string) {
  const job = await d.prisma.importJob.findUnique({ where: { id: uploadId } });
  if (!job || job.staffUserId !== staffUserId || job.source !== "upload") {
    throw new AppError("not_found", "This upload was not found");
  }
  return job;
}

/** Checks a mapping: one column to external_id, no field twice, fields that exist. */
export async function checkMapping(d: Db, columns: string[], mapping: string[]): Promise<void> {
  const details: { path: string; message: string }[] = [];
  if (mapping.length !== columns.length) details.push({ path: "mapping", message: "one choice per column" });
  const catalog = await loadCatalog(d);
  const used = new Map<string, number>();
  mapping.forEach((field, i) => {
    if (field === SKIP) return;
    if (!isBuiltinKey(field) && !catalog.has(field)) {
      details.push({ path: `mapping[${i}]`, message: `${field} is not a field` });
    } else if (used.has(field)) {
      details.push({ path: `mapping[${i}]`, message: `"${columns[i]}" and "${columns[used.get(field)!]}" both go to ${field}` });
    }
    used.set(field, used.get(field) ?? i);
  });
  if (!used.has("external_id")) details.push({ path: "mapping", message: "choose the column that holds external_id" });
  if (details.length) throw new AppError("invalid_payload", details[0].message, { details });
}

export async function beginUpload(d: Db, staffUserId: string, raw: unknown): Promise<{ id: string }> {
  const input = parse(beginUploadSchema, raw);
  const existing = await d.prisma.importJob.findUnique({ where: { id: input.uploadId } });
  if (existing) {
    if (existing.staffUserId !== staffUserId) throw new AppError("not_found", "This upload was not found");
    return { id: existing.id }; // the same form sent again
  }
  await checkMapping(d, input.columns, input.mapping);
  try {
    await d.prisma.importJob.create({
      data: {
        id: input.uploadId,
        status: "uploading",
        source: "upload",
        conflictStrategy: input.strategy,
        staffUserId,
        fileName: input.fileName,
        columns: JSON.stringify(input.columns),
        mapping: JSON.stringify(input.mapping),
        total: input.totalRows,
      },
    });
  } catch (e) {
    if ((e as { code?: string }).code !== "P2002") throw e; // lost a race with its own retry
  }
  return { id: input.uploadId };
}

export async function appendUploadChunk(d: Db, staffUserId: string, raw: unknown): Promise<void> {
  const input = parse(appendUploadSchema, raw);
  const job = await ownUpload(d, staffUserId, input.uploadId);
  if (job.status !== "uploading") return; // already finished: a late retry changes nothing
  const width = (JSON.parse(job.columns!) as string[]).length;
  const bad = input.rows.findIndex((r) => r.length !== width);
  if (bad >= 0) throw new AppError("invalid_payload", `Row ${bad + 1} of this piece has ${input.rows[bad].length} cells, not ${width}`);
  const start = input.no * UPLOAD_ROWS_PER_CHUNK;
  await d.prisma.importChunk.upsert({
    where: { jobId_no: { jobId: job.id, no: input.no } },
    create: { jobId: job.id, no: input.no, start, rows: JSON.stringify(input.rows) },
    update: {},
  });
}

/** Accepts the upload: it gets the next place in the merge order. */
export async function finishUpload(d: Db, staffUserId: string, raw: unknown): Promise<{ id: string }> {
  const { uploadId } = parse(finishUploadSchema, raw);
  const job = await ownUpload(d, staffUserId, uploadId);
  if (job.status !== "uploading") return { id: job.id };
  const chunks = await d.prisma.importChunk.findMany({ where: { jobId: job.id }, select: { no: true, rows: true }, orderBy: { no: "asc" } });
  const rows = chunks.reduce((n, c) => n + (JSON.parse(c.rows) as unknown[]).length, 0);
  const contiguous = chunks.every((c, i) => c.no === i);
  if (!contiguous || rows !== job.total) {
    throw new AppError("invalid_payload", `Only ${rows} of ${job.total} rows arrived; send the missing pieces and finish again`);
  }
  const accepted = await d.prisma.$transaction(
    async (tx) => {
      const seq = await lockNextSeq(tx, d);
      const n = await tx.importJob.updateMany({
        where: { id: job.id, status: "uploading" },
        data: { status: "queued", seq, staged: true, createdAt: new Date() },
      });
      return n.count === 1;
    },
    { timeout: 30_000, maxWait: 30_000 },
  );
  if (accepted) signalJobAccepted();
  return { id: job.id };
}
