// What the wizard sends to upload a file, as the server actions
// (lib/actions/uploads.ts) and the pieces route read it. No server code here:
// the wizard's calls are type-checked against these schemas.
import { z } from "zod";
import { MAX_PIECE_ROWS } from "../upload/piece-limits";
import { jobIdSchema } from "./job-id-schema";
import { conflictStrategySchema } from "../vocabulary";
import { isStorable, storableString, UNSTORABLE_MESSAGE } from "../storable-text";

/** Most rows an upload may announce; most pieces. */
export const MAX_UPLOAD_ROWS = 5_000_000;
export const MAX_UPLOAD_PIECES = 10_000;

/** A file's header row. */
export const fileColumnsSchema = z.array(storableString().max(1000)).min(1).max(500);

export const beginUploadSchema = z.object({
  uploadId: jobIdSchema,
  fileName: storableString().trim().min(1).max(255),
  columns: fileColumnsSchema,
  mapping: z.array(z.string().max(100)).min(1).max(500),
  strategy: conflictStrategySchema,
  totalRows: z.number().int().min(1).max(MAX_UPLOAD_ROWS),
  /** The wizard's "Preview changes": a dry run of the file, started for real later without sending it again. */
  dryRun: z.boolean().default(false),
});
export const appendUploadSchema = z.object({
  uploadId: jobIdSchema,
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
export const finishUploadSchema = z.object({ uploadId: jobIdSchema });
export const startPreviewSchema = z.object({ previewId: jobIdSchema });

export type BeginUploadInput = z.output<typeof beginUploadSchema>;
export type AppendUploadInput = z.output<typeof appendUploadSchema>;
export type FinishUploadInput = z.output<typeof finishUploadSchema>;
export type StartPreviewInput = z.output<typeof startPreviewSchema>;
