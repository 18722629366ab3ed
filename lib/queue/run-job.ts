// Runs a claimed job batch by batch. While batch n is written on this thread,
// batch n+1 is read and normalised by a normaliser thread; after a job's last
// batch, the next queued job's first batch is prepared the same way, so the
// engine keeps both cores busy between jobs too. Batches still commit one at
// a time, in order, each fenced at its position (merge-batch.ts).
import "server-only";
import type { SqlConn } from "../db/sql-conn";
import { loadCatalog } from "../custom-fields/load-catalog";
import { refreshStatistics } from "../db/statistics";
import { cancelRunningJob, finishJob, nextQueuedJob, releaseJob } from "../jobs/claim-job";
import { CancelRequestedError, type Lease } from "../jobs/job-lease";
import { decodeColumnList, type QueuedJob } from "../jobs/job-row";
import { chunkAt, type StagedText } from "../jobs/staged-rows";
import { mergeBatch } from "../merge/merge-batch";
import { revertCursor } from "../merge/before-images";
import { revertBatch, undoOwnChanges } from "../merge/revert";
import type { NormaliseResult } from "../records/normalise-record";
import type { Normaliser } from "./normalise-pool";

type Catalog = Awaited<ReturnType<typeof loadCatalog>>;

type Prepared = {
  jobId: string;
  position: number;
  count: number;
  chunkNo: number;
  catalogKey: string;
  results: Promise<NormaliseResult[]>;
};

export type RunContext = {
  conn: SqlConn;
  normaliser: Normaliser;
  phoneRegion: string;
  /** Most records merged in one transaction. */
  batchSize: number;
  /** Called after each committed batch (tests use it to crash at a chosen point). */
  afterBatch?: (position: number) => void | Promise<void>;
  /** Waits, before each batch, while the front server on this machine is busy (lib/queue/front-pressure.ts). */
  giveWay?: () => Promise<void>;
  /** The engine is stopping: hand the job back between batches. */
  stopping(): boolean;
};

/** Reads and normalises batches ahead of the merge. */
export class BatchPreparer {
  private lookahead: Prepared | null = null;
  /** The last chunk read: its later batches do not read its text again. */
  private held: { jobId: string; no: number; text: StagedText } | null = null;
  constructor(private readonly ctx: RunContext) {}

  /** Starts preparing the batch at `position`; null past the job's staged rows. */
  async prepare(job: QueuedJob, position: number, catalog: Catalog, hintNo: number): Promise<Prepared | null> {
    if (job.source === "revert" || position >= (job.total ?? 0)) return null; // a revert has no staged rows
    const held = this.held?.jobId === job.id ? this.held : null;
    const chunk = await chunkAt(this.ctx.conn, job.id, position, hintNo, held?.no);
    if (!chunk) throw new Error(`job ${job.id}: no staged rows at position ${position}`);
    const text = chunk.text ?? held!.text;
    this.held = { jobId: job.id, no: chunk.no, text };
    const count = Math.min(this.ctx.batchSize, chunk.start + chunk.rowCount - position, (job.total ?? 0) - position);
    const results = this.ctx.normaliser.normalise({
      chunkKey: `${job.id}:${chunk.no}`,
      text,
      offset: position - chunk.start,
      count,
      source: job.source,
      mapping: decodeColumnList(job.mapping),
      catalog: [...catalog],
      phoneRegion: this.ctx.phoneRegion,
    });
    results.catch(() => {}); // awaited by whoever merges it; a discarded one must not be "unhandled"
    return { jobId: job.id, position, count, chunkNo: chunk.no, catalogKey: catalog.key, results };
  }

  /** Prepares the first batch of the job after `seq`, if one is queued. */
  async lookAhead(seq: number, catalog: Catalog): Promise<void> {
    const next = await nextQueuedJob(this.ctx.conn, seq);
    this.lookahead = next ? await this.prepare(next, next.processed, catalog, 0) : null;
  }

  /** The batch prepared ahead for this job and position, if it still fits. */
  take(job: QueuedJob, position: number, catalog: Catalog): Prepared | null {
    const p = this.lookahead;
    this.lookahead = null;
    return p && p.jobId === job.id && p.position === position && p.catalogKey === catalog.key ? p : null;
  }
}

/** How often (in batches, across jobs) the engine looks at the planner's statistics. */
const STATISTICS_EVERY = 50;
let batchesMerged = 0;

/**
 * A dry run's overlay stays when it ends (the engine drops it once it has
 * nothing else to merge, lib/jobs/retention.ts dropEndedOverlays); one
 * handed back half-way resumes on it.
 */
export async function runJob(ctx: RunContext, preparer: BatchPreparer, job: QueuedJob, lease: Lease): Promise<void> {
  if (job.source === "revert") return runRevert(ctx, job, lease);
  try {
    // asked before this claim (a takeover finishes the cancel), or at a batch's fence
    if (job.cancelRequested) throw new CancelRequestedError(job.id);
    await runMerge(ctx, preparer, job, lease);
  } catch (err) {
    if (!(err instanceof CancelRequestedError)) throw err;
    await endCancelled(ctx.conn, job, lease);
  }
}

/**
 * A cancel stops the job at a batch's fence: what it merged is undone as a
 * failing job's is, then it ends cancelled, all while it is still the head
 * of the queue, so the jobs after it see the state as if it had never been
 * sent. Both steps are safe to repeat: an engine killed between them leaves
 * the job running, and whoever takes it over cancels it again.
 */
async function endCancelled(conn: SqlConn, job: QueuedJob, lease: Lease): Promise<void> {
  if (!job.dryRun) await undoOwnChanges(conn, lease, { id: job.id, seq: job.seq! });
  await cancelRunningJob(conn, lease);
}

/** Merges the job to its end (true), or until the engine stops (false: handed back). */
async function runMerge(ctx: RunContext, preparer: BatchPreparer, job: QueuedJob, lease: Lease): Promise<boolean> {
  const merging = { id: job.id, seq: job.seq!, strategy: job.conflictStrategy, dryRun: job.dryRun };
  const catalog = await loadCatalog(ctx.conn);
  let current = preparer.take(job, job.processed, catalog) ?? (await preparer.prepare(job, job.processed, catalog, 0));
  while (current) {
    if (ctx.stopping()) {
      // resumes from here, in this or another engine; not the job's fault
      await releaseJob(ctx.conn, lease, { refundAttempt: true });
      return false;
    }
    const after = current.position + current.count;
    const next = preparer.prepare(job, after, catalog, current.chunkNo);
    next.catch(() => {});
    const last = after >= (job.total ?? 0);
    if (last && job.seq !== null) preparer.lookAhead(job.seq, catalog).catch(() => {});
    await ctx.giveWay?.();
    await mergeBatch(ctx.conn, lease, merging, { position: current.position, results: await current.results }, { last });
    if (++batchesMerged % STATISTICS_EVERY === 0) await refreshStatistics(ctx.conn);
    await ctx.afterBatch?.(after);
    if (last) return true;
    current = await next;
  }
  // no rows at all (a CSV with only its header)
  await finishJob(ctx.conn, lease, job.processed);
  return true;
}

/** A revert job: the job it undoes, batch by batch, backwards. */
async function runRevert(ctx: RunContext, job: QueuedJob, lease: Lease): Promise<void> {
  const original = await ctx.conn.get<{ id: string; seq: number }>("SELECT id, seq FROM import_job WHERE id = ?", [job.reverts]);
  if (!original) throw new Error(`revert ${job.id}: the job it undoes (${job.reverts}) is gone`);
  let position = job.processed;
  let cursor: number | null = await revertCursor(ctx.conn, original.id, position);
  while (cursor !== null) {
    if (ctx.stopping()) {
      await releaseJob(ctx.conn, lease, { refundAttempt: true });
      return;
    }
    await ctx.giveWay?.();
    const batch = await revertBatch(
      ctx.conn,
      lease,
      { seq: job.seq!, total: job.total ?? 0, position, cursor },
      { id: original.id, seq: Number(original.seq) },
      ctx.batchSize,
    );
    position += batch.count;
    cursor = batch.cursor;
    await ctx.afterBatch?.(position);
  }
}
