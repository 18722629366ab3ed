// Accepting JSON-API jobs (records, csv_url) and undos into import_job (lib/jobs
// is the only writer of that table). Admin uploads are accepted in
// accept-upload.ts; the engine's verbs are in claim-job.ts and stage-job.ts.
//
// Acceptance order: a job's `seq` is assigned under a lock (SQLite's write
// lock; a PostgreSQL advisory lock), so seq order is commit order, and a
// worker claims only the lowest unfinished seq (docs/decisions/001).
import "server-only";
import { randomUUID } from "node:crypto";
import type { AuditEvent } from "../audit/audit-entry";
import { byOrSystem, type AuditBy } from "../audit/audit-actor";
import { insertAuditEntries } from "../audit/record-audit";
import type { SqlConn, SqlQuery } from "../db/sql-conn";
import { nowTimestampSql } from "../db/sql";
import { AppError } from "../errors";
import type { ConflictStrategy } from "../vocabulary";
import { isFlagSet } from "./job-row";
import { notRevertibleMessage, whyNotRevertible } from "./revertible";
import { insertBodies, type StagedBody } from "./staged-rows";

async function lockAcceptance(q: SqlQuery): Promise<void> {
  // SQLite: the transaction began IMMEDIATE and holds the write lock already.
  if (q.dialect === "postgresql") await q.run("SELECT pg_advisory_xact_lock(hashtext('import_job_accept'))");
}

/** The next place in the merge order, under the acceptance lock (held until the transaction ends). */
export async function nextSeq(q: SqlQuery): Promise<number> {
  await lockAcceptance(q);
  const row = await q.get<{ next: number }>("SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM import_job");
  return Number(row!.next);
}

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
  /** Who asked, for the audit log (absent: the service itself). */
  by?: AuditBy;
};

/** The audit entry of an accepted job: never its records or its URL (often a signed link). */
function acceptedEntry(job: NewJob, id: string): AuditEvent {
  return {
    ...byOrSystem(job.by),
    action: job.dryRun ? "dry_run_started" : "import_started",
    subjectType: "job",
    subject: id,
    detail: { source: job.source, strategy: job.strategy, ...(job.recordCount === null ? {} : { records: job.recordCount }) },
  };
}

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
    const bodies: StagedBody[] = [];
    const entries: AuditEvent[] = [];
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
      if (job.body !== null) bodies.push({ jobId: id, recordCount: job.recordCount ?? 0, packed: job.body });
      if (key) inGroup.set(key, { id, request_hash: job.requestHash });
      entries.push(acceptedEntry(job, id));
      out.push({ id, reused: false });
    }
    // the whole group in three statements (a round trip each on PostgreSQL): jobs, bodies, audit entries
    if (jobRows.length > 0) {
      await q.run(
        `INSERT INTO import_job (id, seq, status, source, conflict_strategy, dry_run, api_user_id, staff_user_id, csv_url,
                                 idempotency_key, request_hash, staged, total, created_at)
         VALUES ${jobRows.map(() => `(?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ${nowTimestampSql(q.dialect)})`).join(", ")}`,
        jobRows.flat(),
      );
    }
    await insertBodies(q, bodies);
    await insertAuditEntries(q, entries);
    return out;
  });
}

/**
 * Accepts the undoing of a job, as a job of its own in the merge order. Only
 * a ready, real job that is not itself an undo, whose before-images are still
 * kept, can be undone; asking again answers the same revert.
 */
export async function createRevert(
  conn: SqlConn,
  r: { jobId: string; apiUserId: string | null; staffUserId: string | null; by?: AuditBy },
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
       VALUES (?, ?, 'queued', 'revert', 'reject', ?, ?, ?, ?, ?, ${nowTimestampSql(q.dialect)})`,
      // the undo belongs to the job's API user even when staff asked: its reverted_by must lead somewhere they can see
      [id, seq, job.api_user_id ?? r.apiUserId, r.staffUserId, r.jobId, true, Number(changes?.n ?? 0)],
    );
    await q.run("UPDATE import_job SET reverted_by = ? WHERE id = ?", [id, r.jobId]);
    await insertAuditEntries(q, [
      { ...byOrSystem(r.by), action: "undo", subjectType: "job", subject: r.jobId, detail: { undo_job: id } },
    ]);
    return { id, reused: false };
  });
}
