// Cancel (contract: "Cancel") against the reference model, on both
// databases: a waiting job never runs; a merging one stops at its next batch
// and what it merged is undone before any later job merges; a cancel racing
// the job's end, two cancels at once, and a cancel while the engine is killed
// mid-batch. In each case the stored state, and every later job's outcome,
// equal the model's with the cancelled job never sent, and the answer tells
// the truth: cancelled, or 409 not_cancellable when the job ended otherwise.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { apiActor, staffActor, type AuditBy } from "@/lib/audit/audit-actor";
import { createApiUserWithToken } from "@/lib/auth/api-tokens";
import { AppError } from "@/lib/errors";
import { cancelImport, type Canceller } from "@/lib/imports/cancel-import";
import { getDeferredResult } from "@/lib/imports/deferred-result";
import { requestRevert } from "@/lib/imports/revert-import";
import { appendUploadChunk, beginUpload, finishUpload } from "@/lib/imports/upload-import";
import { beginUploadSchema } from "@/lib/imports/upload-schema";
import { parseInput } from "@/lib/invalid-payload";
import { submitImport } from "@/lib/imports/submit-import";
import { requestCancel } from "@/lib/jobs/cancel-job";
import { startWorker, type WorkerHandle, type WorkerOptions } from "@/lib/queue/worker";
import { readyResult } from "../support/engine-db";
import { expectImport, expectStoredAsModel } from "../support/model-checks";
import { ReferenceModel, randomRecord, rng, type RefRecord } from "../support/reference-model";
import { createTestDb, DIALECTS, NODE_TS, waitFor, type TestDb } from "../support/test-db";

const ROOT = resolve(import.meta.dirname, "../..");
const ADMIN = { id: "admin-1", email: "admin@example.org", role: "admin" };
const BY: AuditBy = { actor: staffActor(ADMIN), address: null };
const AS_ADMIN: Canceller = { staff: ADMIN };
const NONE: ReadonlySet<string> = new Set();

/** The engine held after a batch, until released: a cancel lands while the job is mid-merge. */
type Hold = { at: number; reached: Promise<void>; release(): void };

describe.each(DIALECTS)("cancel (%s)", (dialect) => {
  let t: TestDb;
  const model = new ReferenceModel();
  const r = rng(2020);
  let hold: (Hold & { arrive(): void; released: Promise<void>; onReach?: () => void }) | null = null;

  beforeAll(async () => {
    t = await createTestDb(dialect);
    await t.db.prisma.customField.create({ data: { slug: "score", label: "Score", kind: "float" } });
  });
  afterAll(async () => t?.drop());

  /** Holds the engine after the first batch that reaches `at` records (of whichever job it merges). */
  function holdAt(at: number, onReach?: () => void): Hold {
    let arrive!: () => void;
    let release!: () => void;
    const reached = new Promise<void>((res) => (arrive = res));
    const released = new Promise<void>((res) => (release = res));
    hold = { at, reached, arrive, released, release, onReach };
    return hold;
  }
  const afterBatch = async (position: number) => {
    const h = hold;
    if (!h || position < h.at) return;
    hold = null;
    h.onReach?.();
    h.arrive();
    await h.released;
  };
  const engine = (opts: WorkerOptions = {}): WorkerHandle =>
    startWorker(t.db, { pollMs: 10, log: () => {}, threads: 0, batchSize: 20, housekeeping: false, run: { afterBatch }, ...opts });

  const records = (n: number): RefRecord[] => Array.from({ length: n }, () => randomRecord(r, 400));
  const submit = async (recs: RefRecord[], opts: { apiUserId?: string; dryRun?: boolean } = {}) =>
    (await submitImport(t.db, { source: "records", strategy: "ignore", records: recs.map((x) => x.raw), ...opts })).id;
  const job = (id: string) => t.db.prisma.importJob.findUniqueOrThrow({ where: { id } });
  const cancelAuditCount = (id: string) => t.db.prisma.auditEntry.count({ where: { action: "import_cancelled", subject: id } });

  /** A job that ended cancelled keeps nothing: no staged rows, before-images, history, problems, or targets it last wrote. */
  async function expectNothingKept(id: string) {
    const { seq } = await job(id);
    const left = {
      chunks: await t.db.prisma.importChunk.count({ where: { jobId: id } }),
      changes: await t.db.prisma.importChange.count({ where: { jobId: id } }),
      errors: await t.db.prisma.importError.count({ where: { jobId: id } }),
      history: await t.db.prisma.targetChange.count({ where: { jobSeq: seq! } }),
      written: await t.db.prisma.target.count({ where: { lastJobSeq: seq! } }),
    };
    expect(left).toEqual({ chunks: 0, changes: 0, errors: 0, history: 0, written: 0 });
    const { created, updated, unchanged, rejected, errorCount } = await job(id);
    expect({ created, updated, unchanged, rejected, errorCount }).toEqual({ created: 0, updated: 0, unchanged: 0, rejected: 0, errorCount: 0 });
  }

  /** Runs jobs to their end with the model's outcome (the state every test starts from). */
  async function merged(recs: RefRecord[]): Promise<string> {
    const w = engine();
    try {
      const id = await submit(recs);
      const expected = model.applyJob(recs, "ignore");
      await readyResult(t.db, id, 60_000);
      await expectImport(t.db, id, expected, NONE, "earlier job");
      return id;
    } finally {
      await w.stop();
    }
  }

  test("a waiting job never runs; the one after it merges as if it had never been sent; cancelling again answers the same", async () => {
    await merged(records(200));
    const a = await submit(records(300));
    const b = records(150);
    const bId = await submit(b);
    // no engine yet: A is waiting, and ends cancelled in the request itself
    const first = await cancelImport(t.db, a, AS_ADMIN, BY, 0);
    expect(first).toMatchObject({ status: "cancelled", result: null, error: null, started_at: null, progress: { processed: 0, total: 300 } });
    expect((await cancelImport(t.db, a, AS_ADMIN, BY, 0)).status).toBe("cancelled");
    expect(await cancelAuditCount(a)).toBe(1);
    await expectNothingKept(a);

    const w = engine();
    try {
      await readyResult(t.db, bId, 60_000);
    } finally {
      await w.stop();
    }
    await expectImport(t.db, bId, model.applyJob(b, "ignore"), NONE, "the job after the cancelled one");
    await expectStoredAsModel(t.db, model);
    expect((await job(a)).startedAt).toBeNull();
  });

  test("a merging job stops at its next batch; what it merged is undone before the next job merges", { timeout: 120_000 }, async () => {
    await merged(records(300));
    const h = holdAt(200);
    const w = engine();
    try {
      const a = await submit(records(3000));
      const b = records(300);
      const bId = await submit(b);
      await h.reached;
      const answer = cancelImport(t.db, a, AS_ADMIN, BY);
      await waitFor(async () => (await job(a)).cancelRequestedAt !== null);
      const held = await job(a);
      expect(held.status).toBe("running");
      h.release();
      const cancelled = await answer;
      expect(cancelled).toMatchObject({ status: "cancelled", result: null, error: null });
      // it had got to the batch after the one it was held at, and no further
      expect(cancelled.progress.processed).toBeGreaterThanOrEqual(200);
      expect(cancelled.progress.processed).toBeLessThanOrEqual(220);
      expect(cancelled.finished_at).not.toBeNull();
      await expectNothingKept(a);

      await readyResult(t.db, bId, 60_000);
      await expectImport(t.db, bId, model.applyJob(b, "ignore"), NONE, "the job after the cancelled one");
      await expectStoredAsModel(t.db, model);
      expect((await job(bId)).startedAt!.getTime()).toBeGreaterThanOrEqual((await job(a)).finishedAt!.getTime());
      // a cancelled import cannot be undone, and cancelling it again answers cancelled
      await expect(requestRevert(t.db, a, { staff: true })).rejects.toMatchObject({ code: "not_revertible" });
      expect((await cancelImport(t.db, a, AS_ADMIN, BY)).status).toBe("cancelled");
      expect(await cancelAuditCount(a)).toBe(1);
    } finally {
      h.release();
      await w.stop();
    }
  });

  test("a cancel racing the job's end: the answer tells the truth, and the state is the model's either way", { timeout: 180_000 }, async () => {
    /**
     * Runs a job of `size` records (batches of 20), the cancel sent once a batch has reached `at`
     * records: with the engine held until the request has landed, or racing on while it is made.
     */
    async function race(size: number, at: number, held: boolean): Promise<string> {
      const recs = records(size);
      const id = await submit(recs);
      // racing: the request is sent from the engine's own turn, so that it
      // races the next batch's transaction even where SQLite's engine, in
      // this process, keeps the event loop busy until the job ends
      let sent: Promise<unknown> = Promise.resolve();
      const h = held ? holdAt(at) : holdAt(at, () => (sent = requestCancel(t.db.sql, id, BY).catch((e: unknown) => e)));
      if (!held) h.release();
      const w = engine();
      try {
        await h.reached;
        const answer = cancelImport(t.db, id, AS_ADMIN, BY).then(
          (d) => d.status,
          (e: unknown) => (e instanceof AppError ? e.code : Promise.reject(e)),
        );
        // held: let the request land before the engine goes on (or find the job already ended)
        if (held) await waitFor(async () => ((j) => j.cancelRequestedAt !== null || j.status === "ready")(await job(id)));
        h.release();
        await sent;
        const told = await answer;
        const ended = (await job(id)).status;
        // 200 only if the job ends cancelled; 409 only if it ended ready
        expect({ told, ended }).toEqual(told === "cancelled" ? { told, ended: "cancelled" } : { told: "not_cancellable", ended: "ready" });
        if (ended === "ready") model.applyJob(recs, "ignore");
        else await expectNothingKept(id);
        await expectStoredAsModel(t.db, model, `cancel at ${at} of ${size}${held ? ", held" : ""}`);
        return ended;
      } finally {
        h.release();
        await w.stop();
      }
    }
    // the edges: asked just before the last batch's fence (it stops there), and just after it committed (too late)
    expect(await race(60, 40, true)).toBe("cancelled");
    expect(await race(60, 60, true)).toBe("ready");
    // and racing the engine from any batch, the last ones included
    const outcomes: string[] = [];
    for (const at of [20, 100, 200, 300, 360, 380, 380, 380, 400]) outcomes.push(await race(400, at, false));
    expect(outcomes[0]).toBe("cancelled");
    expect(outcomes[outcomes.length - 1]).toBe("ready");
  });

  test("two cancels at once, of a waiting and of a merging job: both answer cancelled, one audit entry each", { timeout: 120_000 }, async () => {
    await merged(records(100));
    const api = await createApiUserWithToken(t.db, "CRM");
    const asApi: Canceller = { apiUserId: api.apiUserId };
    const apiBy: AuditBy = { actor: apiActor({ id: api.apiUserId, name: "CRM" }), address: null };
    const h = holdAt(100);
    const w = engine();
    try {
      const a = await submit(records(1000), { apiUserId: api.apiUserId });
      const waiting = await submit(records(100), { apiUserId: api.apiUserId });
      const c = records(200);
      const cId = await submit(c);
      await h.reached;
      // the waiting one, twice at once: it never runs
      const both = await Promise.all([cancelImport(t.db, waiting, asApi, apiBy), cancelImport(t.db, waiting, asApi, apiBy)]);
      expect(both.map((d) => d.status)).toEqual(["cancelled", "cancelled"]);
      // the merging one, twice at once
      const answers = Promise.all([cancelImport(t.db, a, asApi, apiBy), cancelImport(t.db, a, asApi, apiBy)]);
      await waitFor(async () => (await job(a)).cancelRequestedAt !== null);
      h.release();
      expect((await answers).map((d) => d.status)).toEqual(["cancelled", "cancelled"]);
      for (const id of [a, waiting]) {
        expect(await cancelAuditCount(id)).toBe(1);
        await expectNothingKept(id);
      }
      const entry = await t.db.prisma.auditEntry.findFirstOrThrow({ where: { action: "import_cancelled", subject: a } });
      expect({ type: entry.actorType, name: entry.actorName }).toEqual({ type: "api", name: "CRM" });
      await readyResult(t.db, cId, 60_000);
      await expectImport(t.db, cId, model.applyJob(c, "ignore"), NONE, "the job after both");
      await expectStoredAsModel(t.db, model);
    } finally {
      h.release();
      await w.stop();
    }
  });

  for (const order of ["cancel, then the engine killed", "the engine killed, then cancel"] as const) {
    test(`${order} mid-batch: the engine that takes the job over finishes the cancel`, { timeout: 120_000 }, async () => {
      await merged(records(300));
      const a = await submit(records(3000));
      const b = records(300);
      const bId = await submit(b);
      const child = spawn(process.execPath, [...NODE_TS, "scripts/worker.ts"], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: t.url, JOB_LEASE_MS: "1500", WORKER_POLL_MS: "20", ENGINE_BATCH_SIZE: "20", ENGINE_THREADS: "2" },
        stdio: "ignore",
      });
      const exited = new Promise((res) => child.once("exit", res));
      try {
        await waitFor(async () => (await job(a)).processed >= 100, 60_000);
        if (order === "cancel, then the engine killed") {
          await requestCancel(t.db.sql, a, BY);
          // lands in the batch it is writing, or in its undo
          await new Promise((res) => setTimeout(res, r.int(30)));
        }
        child.kill("SIGKILL");
        await exited;
        const atKill = await job(a);
        expect(atKill.processed).toBeLessThan(3000);
        if (order === "the engine killed, then cancel") {
          expect(atKill.status).toBe("running");
          expect(atKill.processed % 20).toBe(0); // whole batches only
        }
      } finally {
        child.kill("SIGKILL");
      }
      const rescuer = engine({ id: "rescuer", leaseMs: 1500, batchSize: 7 });
      try {
        const answer = await cancelImport(t.db, a, AS_ADMIN, BY);
        expect(answer.status).toBe("cancelled");
        await expectNothingKept(a);
        await readyResult(t.db, bId, 60_000);
        await expectImport(t.db, bId, model.applyJob(b, "ignore"), NONE, "the job after the cancelled one");
        await expectStoredAsModel(t.db, model);
      } finally {
        await rescuer.stop();
      }
    });
  }

  test("a dry run cancelled mid-run: it changed nothing, and its overlay is dropped", async () => {
    const h = holdAt(100);
    const w = engine();
    try {
      const a = await submit(records(1000), { dryRun: true });
      await h.reached;
      expect(await t.db.prisma.dryRunTarget.count({ where: { jobId: a } })).toBeGreaterThan(0);
      const answer = cancelImport(t.db, a, AS_ADMIN, BY);
      await waitFor(async () => (await job(a)).cancelRequestedAt !== null);
      h.release();
      expect(await answer).toMatchObject({ status: "cancelled", dry_run: true, result: null });
      // the engine drops ended dry runs' overlays once it has nothing to merge
      await waitFor(async () => (await t.db.prisma.dryRunTarget.count({ where: { jobId: a } })) === 0);
      await expectStoredAsModel(t.db, model);
    } finally {
      h.release();
      await w.stop();
    }
  });

  test("who may cancel what: ready and undo jobs are not cancellable; another API user's job is not found; staff cancel their own uploads only, admins any", async () => {
    const ready = await merged(records(40));
    await expect(cancelImport(t.db, ready, AS_ADMIN, BY)).rejects.toMatchObject({ code: "not_cancellable" });
    const undo = (await requestRevert(t.db, ready, { staff: true })).id;
    await expect(cancelImport(t.db, undo, AS_ADMIN, BY)).rejects.toMatchObject({ code: "not_cancellable" });
    await expect(cancelImport(t.db, "no-such-job", AS_ADMIN, BY)).rejects.toMatchObject({ code: "not_found" });
    const [owner, other] = [await createApiUserWithToken(t.db, "Owner"), await createApiUserWithToken(t.db, "Other")];
    const theirs = await submit(records(10), { apiUserId: owner.apiUserId });
    await expect(cancelImport(t.db, theirs, { apiUserId: other.apiUserId }, BY)).rejects.toMatchObject({ code: "not_found" });
    await expect(cancelImport(t.db, theirs, { staff: { id: "staff-1", role: "staff" } }, BY)).rejects.toMatchObject({ code: "forbidden" });
    expect((await job(theirs)).cancelRequestedAt).toBeNull();
    // an upload: its uploader may cancel it, other staff may not
    const uploadId = randomUUID();
    const columns = ["external_id", "first_name"];
    const begin = { uploadId, fileName: "members.csv", columns, mapping: columns, strategy: "reject", totalRows: 1 };
    await beginUpload(t.db, "staff-1", parseInput(beginUploadSchema, begin));
    await appendUploadChunk(t.db, "staff-1", { uploadId, no: 0, rows: [["UP-1", "Una"]] });
    await finishUpload(t.db, "staff-1", { uploadId });
    await expect(cancelImport(t.db, uploadId, { staff: { id: "staff-2", role: "staff" } }, BY)).rejects.toMatchObject({ code: "forbidden" });
    expect((await cancelImport(t.db, uploadId, { staff: { id: "staff-1", role: "staff" } }, BY)).status).toBe("cancelled");
    // no engine runs here: the job behind the waiting undo ends cancelled at once
    expect((await cancelImport(t.db, theirs, { apiUserId: owner.apiUserId }, BY)).status).toBe("cancelled");
    expect((await getDeferredResult(t.db, theirs, { apiUserId: owner.apiUserId })).status).toBe("cancelled");
  });
});
