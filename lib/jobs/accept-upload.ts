// Accepting an admin upload: it begins (status uploading), receives its rows
// piece by piece, and is accepted into the merge order once complete; or a
// previewed upload is started for real from its staged rows.
import "server-only";
import { randomUUID } from "node:crypto";
import { byOrSystem, type AuditBy } from "../audit/audit-actor";
import { insertAuditEntries } from "../audit/record-audit";
import type { SqlConn, SqlQuery } from "../db/sql-conn";
import { nowTimestampSql } from "../db/sql";
import { AppError } from "../errors";
import type { ConflictStrategy } from "../vocabulary";
import { nextSeq, type Accepted } from "./accept-jobs";
import { decodeColumnList, encodeColumnList, isFlagSet, type ColumnList } from "./job-row";
import { copyChunks, encodeCells, insertPiece, placePieces } from "./staged-rows";

export type UploadLimits = {
  /** Unfinished uploads one staff member may have at once. */
  openUploads: number;
  /** Characters of cells one upload may stage. */
  maxChars: number;
  expiryHours: number;
};

export type NewUpload = {
  id: string;
  staffUserId: string;
  fileName: string;
  columns: ColumnList;
  mapping: ColumnList;
  strategy: ConflictStrategy;
  totalRows: number;
  /** The wizard's preview: judged in its turn, writes nothing (started for real by startFromPreview). */
  dryRun?: boolean;
};

type UploadRow = {
  staff_user_id: string | null;
  source: string;
  status: string;
  file_name: string | null;
  columns: string | null;
  mapping: string | null;
  conflict_strategy: string;
  total: number | null;
  dry_run: unknown;
};

async function ownUpload(q: SqlQuery, id: string, staffUserId: string): Promise<UploadRow> {
  const row = await q.get<UploadRow>(
    "SELECT staff_user_id, source, status, file_name, columns, mapping, conflict_strategy, total, dry_run FROM import_job WHERE id = ?",
    [id],
  );
  if (!row || row.staff_user_id !== staffUserId || row.source !== "upload") {
    throw new AppError("not_found", "This upload was not found");
  }
  return row;
}

/**
 * Starts an upload (idempotent: the browser names it). The same id sent
 * again with other settings is refused, so a retry never silently keeps the
 * settings of an earlier attempt.
 */
export async function beginUpload(conn: SqlConn, u: NewUpload, limits: UploadLimits): Promise<{ id: string }> {
  const open = await conn.get<{ n: number }>(
    "SELECT COUNT(*) AS n FROM import_job WHERE staff_user_id = ? AND status = 'uploading' AND id <> ?",
    [u.staffUserId, u.id],
  );
  if (Number(open!.n) >= limits.openUploads) {
    throw new AppError(
      "limit_reached",
      `You have ${open!.n} unfinished uploads; finish one, or wait: they are deleted ${limits.expiryHours} hours after they began`,
    );
  }
  await conn.run(
    `INSERT INTO import_job (id, status, source, conflict_strategy, dry_run, staff_user_id, file_name, columns, mapping, total, created_at)
     VALUES (?, 'uploading', 'upload', ?, ?, ?, ?, ?, ?, ?, ${nowTimestampSql(conn.dialect)})
     ON CONFLICT (id) DO NOTHING`,
    [u.id, u.strategy, u.dryRun ?? false, u.staffUserId, u.fileName, encodeColumnList(u.columns), encodeColumnList(u.mapping), u.totalRows],
  );
  const row = await ownUpload(conn, u.id, u.staffUserId);
  const same =
    row.file_name === u.fileName &&
    row.columns === encodeColumnList(u.columns) &&
    row.mapping === encodeColumnList(u.mapping) &&
    row.conflict_strategy === u.strategy &&
    Number(row.total) === u.totalRows &&
    isFlagSet(row.dry_run) === (u.dryRun ?? false);
  if (!same) {
    throw new AppError("upload_changed", "This upload was started with other settings: start the import again to use the new ones");
  }
  return { id: u.id };
}

/**
 * Locks an upload that is still receiving rows (a row lock in PostgreSQL), so
 * that a piece and the acceptance cannot interleave; false once accepted.
 */
async function lockUploading(q: SqlQuery, id: string): Promise<boolean> {
  return (await q.run("UPDATE import_job SET status = status WHERE id = ? AND status = 'uploading'", [id])) === 1;
}

/** Stores one piece of an upload's rows; a piece sent twice is kept once. */
export async function stageUploadPiece(
  conn: SqlConn,
  piece: { id: string; staffUserId: string; no: number; rows: string[][] },
  limits: UploadLimits,
): Promise<void> {
  const text = encodeCells(piece.rows);
  await conn.tx(async (q) => {
    const job = await ownUpload(q, piece.id, piece.staffUserId);
    if (!(await lockUploading(q, piece.id))) return; // accepted already: a late retry changes nothing
    const width = decodeColumnList(job.columns)?.length ?? 0;
    const bad = piece.rows.findIndex((r) => r.length !== width);
    if (bad >= 0) {
      throw new AppError("invalid_payload", `Row ${bad + 1} of this piece has ${piece.rows[bad].length} cells, not ${width}`);
    }
    if (!(await insertPiece(q, { jobId: piece.id, no: piece.no, rowCount: piece.rows.length, text }))) return; // sent before
    const within = await q.run("UPDATE import_job SET staged_chars = staged_chars + ? WHERE id = ? AND staged_chars + ? <= ?", [
      text.length,
      piece.id,
      text.length,
      limits.maxChars,
    ]);
    if (within === 0) {
      throw new AppError("payload_too_large", `This file is larger than the most an upload may hold (${limits.maxChars} characters of cells)`, {
        extra: { limit_bytes: limits.maxChars },
      });
    }
  });
}

/**
 * Accepts a complete upload: every piece from 0 up is there and they hold
 * the announced number of rows. The server places each row itself (a
 * piece's start is the sum of the pieces before it). Idempotent.
 */
export async function acceptUpload(conn: SqlConn, u: { id: string; staffUserId: string; by?: AuditBy }): Promise<{ id: string }> {
  await conn.tx(async (q) => {
    const seq = await nextSeq(q);
    const job = await ownUpload(q, u.id, u.staffUserId);
    if (!(await lockUploading(q, u.id))) return;
    const { rows, complete } = await placePieces(q, u.id);
    if (!complete || rows !== Number(job.total)) {
      throw new AppError("invalid_payload", `Only ${rows} of ${job.total} rows arrived; send the missing pieces and finish again`);
    }
    await q.run(
      `UPDATE import_job SET status = 'queued', seq = ?, staged = ?, created_at = ${nowTimestampSql(q.dialect)} WHERE id = ? AND status = 'uploading'`,
      [seq, true, u.id],
    );
    // the file's name and size, never its contents
    const dryRun = isFlagSet(job.dry_run);
    await insertAuditEntries(q, [
      {
        ...byOrSystem(u.by),
        action: dryRun ? "preview" : "import_started",
        subjectType: "job",
        subject: u.id,
        detail: { source: "upload", file: job.file_name, rows, strategy: job.conflict_strategy },
      },
    ]);
  });
  return { id: u.id };
}

/**
 * "Start import" after the wizard's preview: a new real job, next in the
 * merge order, with the dry run's file, mapping and strategy, its staged
 * rows copied inside the database (the browser sends nothing again).
 * Idempotent: started_from is unique, and asking again (a double click, a
 * retry) answers the job already started.
 */
export async function startFromPreview(conn: SqlConn, p: { previewId: string; staffUserId: string; by?: AuditBy }): Promise<Accepted> {
  return conn.tx(async (q) => {
    const seq = await nextSeq(q); // also serialises two clicks racing here
    const started = await q.get<{ id: string }>("SELECT id FROM import_job WHERE started_from = ?", [p.previewId]);
    if (started) return { id: started.id, reused: true };
    const preview = await q.get<UploadRow & { details_purged_at: unknown; staged_chars: number }>(
      `SELECT staff_user_id, source, status, file_name, columns, mapping, conflict_strategy, total, dry_run, details_purged_at, staged_chars
         FROM import_job WHERE id = ?`,
      [p.previewId],
    );
    if (!preview || preview.staff_user_id !== p.staffUserId || preview.source !== "upload") {
      throw new AppError("not_found", "This preview was not found");
    }
    const why = !isFlagSet(preview.dry_run)
      ? "it is an import, not a preview"
      : preview.status !== "ready"
        ? "the preview has not finished"
        : preview.details_purged_at !== null
          ? "its rows were deleted after the retention period; choose the file again"
          : null;
    if (why) throw new AppError("invalid_payload", `This preview cannot be started: ${why}`);
    const id = randomUUID();
    await q.run(
      `INSERT INTO import_job (id, seq, status, source, conflict_strategy, staff_user_id, file_name, columns, mapping, total,
                               staged, staged_chars, started_from, created_at)
       VALUES (?, ?, 'queued', 'upload', ?, ?, ?, ?, ?, ?, ?, ?, ?, ${nowTimestampSql(q.dialect)})`,
      [id, seq, preview.conflict_strategy, p.staffUserId, preview.file_name, preview.columns, preview.mapping, preview.total, true,
        preview.staged_chars, p.previewId],
    );
    await copyChunks(q, p.previewId, id);
    await insertAuditEntries(q, [
      {
        ...byOrSystem(p.by),
        action: "import_started",
        subjectType: "job",
        subject: id,
        detail: { source: "upload", file: preview.file_name, rows: Number(preview.total), strategy: preview.conflict_strategy, preview: p.previewId },
      },
    ]);
    return { id, reused: false };
  });
}
