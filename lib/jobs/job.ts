// The life of an import job, as verbs on import_job (lib/jobs is the only
// writer of that table):
//
//   createJobs      accept JSON-API jobs (records, csv_url), many in one transaction
//   beginUpload     an admin upload starts receiving rows (status uploading)
//   stageUploadPiece  one piece of an upload's rows
//   acceptUpload    the upload is complete: it gets its place in the merge order
//   claimJob        a worker takes the head of the queue under a lease
//   renewLease      the lease goes on (at a position: the merge's fence)
//   finishJob       ready
//   failJob         failed, its staged rows dropped
//   releaseJob      let another worker (or this one) claim it again
//
// and, for a CSV by URL staged ahead of its turn: claimStaging, stageChunks,
// finishStaging, failStaging (a lease of its own).
//
// Acceptance order: a job's `seq` is assigned under a lock (SQLite's write
// lock; a PostgreSQL advisory lock), so seq order is commit order, and a
// worker claims only the lowest unfinished seq (docs/decisions/001).
import "server-only";
import { randomUUID } from "node:crypto";
import type { SqlConn, SqlQuery } from "../db/sql-conn";
import { nowMsSql, nowTimestampSql } from "../db/sql";
import { AppError } from "../errors";
import type { ConflictStrategy } from "../vocabulary";
import { decodeColumnList, decodeFieldChanges, encodeColumnList, isFlagSet, JOB_COLUMNS, jobSchema, type ColumnList, type Job } from "./job-row";
import { notRevertibleMessage, whyNotRevertible } from "./revertible";
import { deleteChunks, encodeCells, insertChunk } from "./staged-rows";

/** Thrown when another worker has taken the job (or its staging) over: stop without writing. */
export class LeaseLostError extends Error {
  constructor(jobId: string) {
    super(`lease on job ${jobId} was lost`);
    this.name = "LeaseLostError";
  }
}

export type Lease = { jobId: string; workerId: string; leaseMs: number };

const nowMs = (q: SqlQuery) => nowMsSql(q.dialect);
const nowTs = (q: SqlQuery) => nowTimestampSql(q.dialect);

async function lockAcceptance(q: SqlQuery): Promise<void> {
  // SQLite: the transaction began IMMEDIATE and holds the write lock already.
  if (q.dialect === "postgresql") await q.run("SELECT pg_advisory_xact_lock(hashtext('import_job_accept'))");
}

async function nextSeq(q: SqlQuery): Promise<number> {
  await lockAcceptance(q);
  const row = await q.get<{ next: number }>("SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM import_job");
  return Number(row!.next);
}

// ---------------------------------------------------------------------------
// Accepting

export type NewJob = {
  source: "records" | "csv_url";
  strategy: ConflictStrategy;
  dryRun: boolean;
  apiUserId: string | null;
  staffUserId: string | null;
  idempotencyKey: string | null;
  /** Hash of the request body, to tell a retry from a reuse of the key. */
  requestHash: string | null;
  csvUrl: string | null;
  /** records: the request body exactly as sent, deflated (packText), and how many records it holds. */
  body: Uint8Array | null;
  recordCount: number | null;
};

export type Accepted = { id: string; reused: boolean };

/**
 * Accepts jobs in one transaction, in the order given: each gets the next
 * place in the merge order, its records staged as sent. One entry per job:
 * the job, or the error that refused it alone (a reused Idempotency-Key).
 */
export async function createJobs(conn: SqlConn, jobs: readonly NewJob[]): Promise<(Accepted | AppError)[]> {
  return conn.tx(async (q) => {
    let seq = await nextSeq(q);
    const out: (Accepted | AppError)[] = [];
    const jobRows: unknown[][] = [];
    const chunkRows: unknown[][] = [];
    // keys given earlier in this same group, not yet visible to a query
    const inGroup = new Map<string, { id: string; request_hash: string | null }>();
    for (const job of jobs) {
      const key = job.idempotencyKey && job.apiUserId ? JSON.stringify([job.apiUserId, job.idempotencyKey]) : null;
      if (key) {
        const previous =
          inGroup.get(key) ??
          (await q.get<{ id: string; request_hash: string | null }>(
            "SELECT id, request_hash FROM import_job WHERE api_user_id = ? AND idempotency_key = ?",
            [job.apiUserId, job.idempotencyKey],
          ));
        if (previous) {
          out.push(
            previous.request_hash === job.requestHash
              ? { id: previous.id, reused: true }
              : new AppError("idempotency_key_reused", "This Idempotency-Key was already used with a different request body"),
          );
          continue;
        }
      }
      const id = randomUUID();
      jobRows.push([id, seq++, job.source, job.strategy, job.dryRun, job.apiUserId, job.staffUserId, job.csvUrl, job.idempotencyKey, job.requestHash, job.body !== null, job.recordCount]);
      if (job.body !== null) chunkRows.push([id, job.recordCount ?? 0, job.body]);
      if (key) inGroup.set(key, { id, request_hash: job.requestHash });
      out.push({ id, reused: false });
    }
    // the whole group in two statements (a round trip each on PostgreSQL)
    if (jobRows.length > 0) {
      await q.run(
        `INSERT INTO import_job (id, seq, status, source, conflict_strategy, dry_run, api_user_id, staff_user_id, csv_url,
                                 idempotency_key, request_hash, staged, total, created_at)
         VALUES ${jobRows.map(() => `(?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ${nowTs(q)})`).join(", ")}`,
        jobRows.flat(),
      );
    }
    if (chunkRows.length > 0) {
      await q.run(
        `INSERT INTO import_chunk (job_id, no, start, row_count, rows, packed) VALUES ${chunkRows.map(() => "(?, 0, 0, ?, '', ?)").join(", ")}`,
        chunkRows.flat(),
      );
    }
    return out;
  });
}

export type UploadLimits = {
  /** Unfinished uploads one staff member may have at once. */
  openUploads: number;
  /** Characters of cells one upload may stage. */
  maxChars: number;
  expiryHours: number;
};

/**
 * Accepts the undoing of a job, as a job of its own in the merge order. Only
 * a ready, real job that is not itself an undo, whose before-images are still
 * kept, can be undone; asking again answers the same revert.
 */
export async function createRevert(
  conn: SqlConn,
  r: { jobId: string; apiUserId: string | null; staffUserId: string | null },
): Promise<Accepted> {
  return conn.tx(async (q) => {
    const seq = await nextSeq(q);
    // FOR UPDATE: retention marks a job purged under the same row lock, so
    // an undo is never accepted for before-images being deleted
    const job = await q.get<{
      status: string;
      dry_run: unknown;
      source: string;
      reverted_by: string | null;
      details_purged_at: unknown;
      api_user_id: string | null;
    }>(
      `SELECT status, dry_run, source, reverted_by, details_purged_at, api_user_id FROM import_job WHERE id = ?${q.dialect === "postgresql" ? " FOR UPDATE" : ""}`,
      [r.jobId],
    );
    if (!job) throw new AppError("not_found", `No deferred result with id ${r.jobId}`);
    if (job.reverted_by) return { id: job.reverted_by, reused: true };
    const why = whyNotRevertible({
      status: job.status,
      dryRun: isFlagSet(job.dry_run),
      source: job.source,
      detailsPurged: job.details_purged_at !== null,
    });
    if (why) throw new AppError("not_revertible", notRevertibleMessage(why));
    // an undo goes through every target the job changed (lib/merge/before-images.ts)
    const changes = await q.get<{ n: number | null }>("SELECT SUM(entry_count) AS n FROM import_change WHERE job_id = ?", [r.jobId]);
    const id = randomUUID();
    await q.run(
      `INSERT INTO import_job (id, seq, status, source, conflict_strategy, api_user_id, staff_user_id, reverts, staged, total, created_at)
       VALUES (?, ?, 'queued', 'revert', 'reject', ?, ?, ?, ?, ?, ${nowTs(q)})`,
      // the undo belongs to the job's API user even when staff asked: its reverted_by must lead somewhere they can see
      [id, seq, job.api_user_id ?? r.apiUserId, r.staffUserId, r.jobId, true, Number(changes?.n ?? 0)],
    );
    await q.run("UPDATE import_job SET reverted_by = ? WHERE id = ?", [id, r.jobId]);
    return { id, reused: false };
  });
}

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
    const added = await q.run(
      "INSERT INTO import_chunk (job_id, no, start, row_count, rows) VALUES (?, ?, 0, ?, ?) ON CONFLICT (job_id, no) DO NOTHING",
      [piece.id, piece.no, piece.rows.length, text],
    );
    if (added === 0) return; // sent before
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
export async function acceptUpload(conn: SqlConn, u: { id: string; staffUserId: string }): Promise<{ id: string }> {
  await conn.tx(async (q) => {
    const seq = await nextSeq(q);
    const job = await ownUpload(q, u.id, u.staffUserId);
    if (!(await lockUploading(q, u.id))) return;
    const pieces = await q.get<{ n: number; rows: number; last: number }>(
      "SELECT COUNT(*) AS n, COALESCE(SUM(row_count), 0) AS rows, COALESCE(MAX(no), -1) AS last FROM import_chunk WHERE job_id = ?",
      [u.id],
    );
    const rows = Number(pieces!.rows);
    if (Number(pieces!.n) !== Number(pieces!.last) + 1 || rows !== Number(job.total)) {
      throw new AppError("invalid_payload", `Only ${rows} of ${job.total} rows arrived; send the missing pieces and finish again`);
    }
    await q.run(
      `UPDATE import_chunk SET start = (SELECT COALESCE(SUM(c.row_count), 0) FROM import_chunk c
                                         WHERE c.job_id = import_chunk.job_id AND c.no < import_chunk.no)
        WHERE job_id = ?`,
      [u.id],
    );
    await q.run(
      `UPDATE import_job SET status = 'queued', seq = ?, staged = ?, created_at = ${nowTs(q)} WHERE id = ? AND status = 'uploading'`,
      [seq, true, u.id],
    );
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
export async function startFromPreview(conn: SqlConn, p: { previewId: string; staffUserId: string }): Promise<Accepted> {
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
       VALUES (?, ?, 'queued', 'upload', ?, ?, ?, ?, ?, ?, ?, ?, ?, ${nowTs(q)})`,
      [id, seq, preview.conflict_strategy, p.staffUserId, preview.file_name, preview.columns, preview.mapping, preview.total, true,
        preview.staged_chars, p.previewId],
    );
    await q.run("INSERT INTO import_chunk (job_id, no, start, row_count, rows, packed) SELECT ?, no, start, row_count, rows, packed FROM import_chunk WHERE job_id = ?", [
      id,
      p.previewId,
    ]);
    return { id, reused: false };
  });
}

// ---------------------------------------------------------------------------
// Running

/**
 * Claims the head of the queue: the accepted, unfinished job with the lowest
 * seq, if its rows are staged and it is waiting or its worker's lease has run
 * out (a dead worker's job is taken over). Only the head is ever run, so jobs
 * merge in acceptance order however many workers there are. One statement:
 * in PostgreSQL the row lock and the re-check of the WHERE clause under READ
 * COMMITTED let only one of several racing workers win; SQLite runs writes
 * one at a time. The re-check sees only the outer WHERE, not the subquery's
 * snapshot, so the outer WHERE repeats the status test: without it a claim
 * that waited on the head's finishing transaction re-opened a ready job.
 */
export async function claimJob(conn: SqlConn, workerId: string, leaseMs: number): Promise<Job | null> {
  // A job this worker holds itself is one whose claim it never heard back
  // about (the connection dropped before the answer): it takes it again, and
  // that costs no attempt.
  const row = await conn.tx((q) =>
    q.get(
      `UPDATE import_job
          SET status = 'running', locked_by = ?, locked_until = ${nowMs(q)} + ?,
              attempts = attempts + CASE WHEN locked_by = ? THEN 0 ELSE 1 END,
              started_at = COALESCE(started_at, ${nowTs(q)})
        WHERE id = (SELECT id FROM import_job
                     WHERE status IN ('queued', 'running') AND seq IS NOT NULL
                     ORDER BY seq LIMIT 1)
          AND staged AND status IN ('queued', 'running')
          AND (status = 'queued' OR locked_until IS NULL OR locked_until < ${nowMs(q)} OR locked_by = ?)
      RETURNING ${JOB_COLUMNS}`,
      [workerId, leaseMs, workerId, workerId],
    ),
  );
  return row ? jobSchema.parse(row) : null;
}

/** The next accepted job after `seq`, if staged: the engine prepares its first batch early. */
export async function nextQueuedJob(q: SqlQuery, seq: number): Promise<Job | null> {
  const row = await q.get(
    `SELECT ${JOB_COLUMNS} FROM import_job WHERE seq > ? AND status IN ('queued', 'running') ORDER BY seq LIMIT 1`,
    [seq],
  );
  const job = row ? jobSchema.parse(row) : null;
  return job?.staged ? job : null;
}

/**
 * Extends the lease if this worker still holds it (and, when given, the job
 * has merged exactly `position` records); throws LeaseLostError otherwise.
 * Inside a merge transaction this is the fence: a worker that lost its job
 * cannot commit, and no batch is applied twice.
 */
export async function renewLease(q: SqlQuery, lease: Lease, position?: number): Promise<void> {
  const n = await q.run(
    `UPDATE import_job SET locked_until = ${nowMs(q)} + ? WHERE id = ? AND locked_by = ? AND status = 'running'` +
      (position === undefined ? "" : " AND processed = ?"),
    position === undefined ? [lease.leaseMs, lease.jobId, lease.workerId] : [lease.leaseMs, lease.jobId, lease.workerId, position],
  );
  if (n !== 1) throw new LeaseLostError(lease.jobId);
}

export type BatchOutcome = {
  records: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  conflictsIgnored: number;
  errors: number;
  /** Per attribute or custom slug (a Map: a slug may be "constructor"). */
  fieldChanges: ReadonlyMap<string, number>;
  /** Of those, per attribute, how many cleared it (optional: only the merge counts them). */
  fieldClears?: ReadonlyMap<string, number>;
};

/** Per-attribute counts plus `add`, as JSON; null when there is nothing to add. */
function addCounts(stored: string | null | undefined, add: ReadonlyMap<string, number> | undefined): string | null {
  if (!add || add.size === 0) return null;
  const sum = new Map(Object.entries(decodeFieldChanges(stored ?? null)));
  for (const [key, n] of add) sum.set(key, (sum.get(key) ?? 0) + n);
  return JSON.stringify(Object.fromEntries(sum));
}

/** Adds a merged batch to the job's progress; returns the seq of the batch's first problem. */
export async function recordBatch(q: SqlQuery, jobId: string, b: BatchOutcome): Promise<number> {
  const adds = (m?: ReadonlyMap<string, number>) => !!m && m.size > 0;
  // the stored counts, read once for both columns when the batch adds to either
  const stored =
    adds(b.fieldChanges) || adds(b.fieldClears)
      ? await q.get<{ field_changes: string; field_clears: string }>("SELECT field_changes, field_clears FROM import_job WHERE id = ?", [jobId])
      : undefined;
  const fieldChanges = addCounts(stored?.field_changes, b.fieldChanges);
  const fieldClears = addCounts(stored?.field_clears, b.fieldClears);
  const row = await q.get<{ error_count: number }>(
    `UPDATE import_job SET processed = processed + ?, created = created + ?, updated = updated + ?, unchanged = unchanged + ?,
            rejected = rejected + ?, conflicts_ignored = conflicts_ignored + ?, error_count = error_count + ?,
            field_changes = COALESCE(?, field_changes), field_clears = COALESCE(?, field_clears)
      WHERE id = ? RETURNING error_count`,
    [b.records, b.created, b.updated, b.unchanged, b.rejected, b.conflictsIgnored, b.errors, fieldChanges, fieldClears, jobId],
  );
  return Number(row!.error_count) - b.errors;
}

export type RevertBatchOutcome = { records: number; deleted: number; restored: number; skipped: number; errors: number };

/** Adds a revert batch to the revert job's progress; returns the seq of its first entry. */
export async function recordRevertBatch(q: SqlQuery, jobId: string, b: RevertBatchOutcome): Promise<number> {
  const row = await q.get<{ error_count: number }>(
    `UPDATE import_job SET processed = processed + ?, deleted = deleted + ?, restored = restored + ?, skipped = skipped + ?,
            error_count = error_count + ?
      WHERE id = ? RETURNING error_count`,
    [b.records, b.deleted, b.restored, b.skipped, b.errors, jobId],
  );
  return Number(row!.error_count) - b.errors;
}

async function endJob(q: SqlQuery, lease: Lease, status: "ready" | "failed", failure: { code: string; message: string } | null) {
  const n = await q.run(
    `UPDATE import_job SET status = ?, finished_at = ${nowTs(q)}, failure_code = ?, failure_message = ?,
            locked_by = NULL, locked_until = NULL
      WHERE id = ? AND locked_by = ? AND status = 'running'`,
    [status, failure?.code ?? null, failure?.message ?? null, lease.jobId, lease.workerId],
  );
  if (n !== 1) throw new LeaseLostError(lease.jobId);
}

export async function finishJob(conn: SqlConn, lease: Lease): Promise<void> {
  await conn.tx((q) => finishJobIn(q, lease));
}

/** The job is ready, as part of a transaction (the merge's last batch). */
export async function finishJobIn(q: SqlQuery, lease: Lease): Promise<void> {
  await endJob(q, lease, "ready", null);
}

/** Ends a job as failed (what it merged already undone); its staged rows and before-images go too. */
export async function failJob(conn: SqlConn, lease: Lease, code: string, message: string): Promise<void> {
  await conn.tx(async (q) => {
    await renewLease(q, lease);
    await deleteChunks(q, lease.jobId);
    await q.run("DELETE FROM import_change WHERE job_id = ?", [lease.jobId]);
    await endJob(q, lease, "failed", { code, message });
  });
}

/**
 * Lets the job be claimed again at once. `refundAttempt`: the run was cut
 * short by the database, not by the job, so it does not count towards the
 * attempts limit (a restarting database must not fail good jobs).
 */
export async function releaseJob(conn: SqlConn, lease: Lease, opts: { refundAttempt?: boolean } = {}): Promise<void> {
  const refund = opts.refundAttempt ? ", attempts = attempts - 1" : "";
  await conn.run(
    `UPDATE import_job SET locked_by = NULL, locked_until = NULL${refund} WHERE id = ? AND locked_by = ? AND status = 'running'`,
    [lease.jobId, lease.workerId],
  );
}

// ---------------------------------------------------------------------------
// Staging a CSV by URL ahead of its turn

/** The earliest accepted CSV by URL not staged yet (nor being staged by a live stager). */
export async function claimStaging(conn: SqlConn, stagerId: string, leaseMs: number): Promise<Job | null> {
  const row = await conn.tx((q) => {
    const free = `(stage_locked_until IS NULL OR stage_locked_until < ${nowMs(q)})`;
    return q.get(
      `UPDATE import_job SET stage_locked_by = ?, stage_locked_until = ${nowMs(q)} + ?
        WHERE id = (SELECT id FROM import_job
                     WHERE source = 'csv_url' AND NOT staged AND status IN ('queued', 'running') AND seq IS NOT NULL
                       AND ${free}
                     ORDER BY seq LIMIT 1)
          AND ${free}
      RETURNING ${JOB_COLUMNS}`,
      [stagerId, leaseMs],
    );
  });
  return row ? jobSchema.parse(row) : null;
}

/** Extends a staging lease; throws LeaseLostError if another stager took it over. */
export async function renewStaging(q: SqlQuery, lease: Lease): Promise<void> {
  const n = await q.run(
    `UPDATE import_job SET stage_locked_until = ${nowMs(q)} + ?
      WHERE id = ? AND stage_locked_by = ? AND NOT staged AND status IN ('queued', 'running')`,
    [lease.leaseMs, lease.jobId, lease.workerId],
  );
  if (n !== 1) throw new LeaseLostError(lease.jobId);
}

/** Starts staging afresh: rows a dead stager left behind are dropped. */
export async function restartStaging(conn: SqlConn, lease: Lease): Promise<void> {
  await conn.tx(async (q) => {
    await renewStaging(q, lease);
    await deleteChunks(q, lease.jobId);
  });
}

/** Writes staged chunks in one transaction, fenced by the staging lease (several at once: one commit and renewal for all). */
export async function stageChunks(conn: SqlConn, lease: Lease, chunks: readonly StagedCells[]): Promise<void> {
  await conn.tx(async (q) => {
    await renewStaging(q, lease);
    for (const c of chunks) await insertChunk(q, { jobId: lease.jobId, no: c.no, start: c.start, rowCount: c.rowCount, text: c.text });
  });
}

/** A chunk of cells ready to stage: its rows encoded (encodeCells). */
export type StagedCells = { no: number; start: number; rowCount: number; text: string };

export async function finishStaging(
  conn: SqlConn,
  lease: Lease,
  staged: { total: number; columns: ColumnList; mapping: ColumnList; csvUrl: string },
): Promise<void> {
  await conn.tx(async (q) => {
    await renewStaging(q, lease);
    // the link has done its work: its query (often a signature) is not kept
    await q.run(
      `UPDATE import_job SET staged = ?, total = ?, columns = ?, mapping = ?, csv_url = ?, stage_locked_by = NULL, stage_locked_until = NULL
        WHERE id = ?`,
      [true, staged.total, encodeColumnList(staged.columns), encodeColumnList(staged.mapping), staged.csvUrl, lease.jobId],
    );
  });
}

/**
 * The CSV cannot be staged (unreachable, not CSV, bad columns): the job fails
 * now, before its turn; it has written nothing, so the order is unaffected.
 */
export async function failStaging(
  conn: SqlConn,
  lease: Lease,
  failure: { code: string; message: string; csvUrl: string },
): Promise<void> {
  const { code, message } = failure;
  await conn.tx(async (q) => {
    await renewStaging(q, lease);
    await deleteChunks(q, lease.jobId);
    await q.run(
      `UPDATE import_job SET status = 'failed', failure_code = ?, failure_message = ?, csv_url = ?,
              started_at = COALESCE(started_at, ${nowTs(q)}), finished_at = ${nowTs(q)},
              stage_locked_by = NULL, stage_locked_until = NULL, locked_by = NULL, locked_until = NULL
        WHERE id = ?`,
      [code, message, failure.csvUrl, lease.jobId],
    );
  });
}

export async function releaseStaging(conn: SqlConn, lease: Lease): Promise<void> {
  await conn.run("UPDATE import_job SET stage_locked_until = NULL WHERE id = ? AND stage_locked_by = ?", [lease.jobId, lease.workerId]);
}
