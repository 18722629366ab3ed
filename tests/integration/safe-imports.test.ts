// Safe imports, deterministically, on both databases: both skip rules of an
// undo with the reasons it reports; what may and may not be undone; a job
// that gives up restores exactly the state before it; a dry run handed back
// half-way resumes on its own overlay; retention takes the before-images and
// overlays with the other details, and the job then says it can no longer be
// undone.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { getDeferredResult, revertResultOf, type DeferredResult } from "@/lib/imports/deferred-result";
import { listImports } from "@/lib/imports/list-imports";
import { requestRevert } from "@/lib/imports/revert-import";
import { submitImport } from "@/lib/imports/submit-import";
import { dropEndedOverlays, forgetExpired } from "@/lib/jobs/retention";
import { startWorker, type WorkerHandle } from "@/lib/queue/worker";
import { chunkText, unpackText } from "@/lib/jobs/staged-rows";
import { eraseTarget } from "@/lib/targets/erase-target";
import { getTarget } from "@/lib/targets/get-target";
import { settledResult } from "../support/engine-db";
import { createTestDb, DIALECTS, waitFor, type TestDb } from "../support/test-db";

const staff = { staff: true } as const;
type Rec = Record<string, unknown>;

describe.each(DIALECTS)("safe imports (%s)", (dialect) => {
  let t: TestDb;
  let worker: WorkerHandle | null = null;
  beforeAll(async () => {
    t = await createTestDb(dialect);
    await t.db.prisma.customField.create({ data: { slug: "branch", label: "Branch", kind: "text" } });
  });
  afterEach(async () => {
    await worker?.stop();
    worker = null;
  });
  afterAll(async () => t?.drop());

  /** An engine of this suite's: small batches on the main thread, no housekeeping, `afterBatch` after each. */
  const engine = (name: string, batchSize: number, afterBatch?: (position: number) => void | Promise<void>) =>
    startWorker(t.db, { id: `${name}-${dialect}`, pollMs: 5, log: () => {}, threads: 0, batchSize, housekeeping: false, run: { afterBatch } });
  const breaking = () => {
    throw new Error("broken");
  };
  const run = () => (worker ??= engine("w", 2));
  async function settled(id: string): Promise<DeferredResult> {
    run();
    return settledResult(t.db, id, 60_000);
  }
  async function job(records: Rec[], opts: { strategy?: "reject" | "ignore"; dryRun?: boolean } = {}): Promise<DeferredResult> {
    const { id } = await submitImport(t.db, { source: "records", strategy: opts.strategy ?? "reject", dryRun: opts.dryRun, records });
    return settled(id);
  }
  /** The stored target as the API shows it, without updated_at (an undo writes it anew). */
  const target = async (id: string) => {
    const row = await t.db.prisma.target.findUnique({ where: { externalId: id } });
    if (!row) return null;
    const shown = await getTarget(t.db, id);
    delete shown.updated_at;
    return shown;
  };

  test("an undo: restores, deletes, and skips changed_since and conflict, last written first, saying why", async () => {
    await job([
      { external_id: "U-C", first_name: "Cara", email: "c0@example.org" },
      { external_id: "U-E", first_name: "Eve", phone_number: "07565000001", subscription_sms: true, branch: "North" },
    ]);
    const undone = await job([
      { external_id: "U-A", first_name: "Ann", email: "a@example.org" }, // created; later changed by another job
      { external_id: "U-B", first_name: "Bob" }, // created: deleted
      { external_id: "U-C", email: "c1@example.org" }, // its old email is then taken by U-D: conflict
      { external_id: "U-E", first_name: "Evelyn", phone_number: null, subscription_sms: false, branch: "South" }, // restored
      { external_id: "U-F", first_name: "Fay" }, // created, then erased
      { external_id: "U-B", last_name: "Brown" }, // a second write of U-B: one change only
    ]);
    expect(undone.result).toMatchObject({ created: 3, updated: 3, unchanged: 0 });
    expect(undone.result && "field_changes" in undone.result && undone.result.field_changes).toEqual({
      email: 1,
      first_name: 1,
      last_name: 1,
      phone_number: 1,
      subscription_sms: 1,
      branch: 1,
    });
    await job([{ external_id: "U-A", last_name: "Later" }]); // a later real job writes U-A
    await job([{ external_id: "U-B", first_name: "Dry" }], { dryRun: true }); // a dry run writes nothing
    await job([{ external_id: "U-E", first_name: "Evelyn" }]); // unchanged: writes nothing
    await job([{ external_id: "U-D", email: "c0@example.org" }]); // takes U-C's old email
    await eraseTarget(t.db, "U-F");

    const { id } = await requestRevert(t.db, undone.id, staff);
    const r = await settled(id);
    expect(r).toMatchObject({ status: "ready", source: "revert", reverts: undone.id, dry_run: false, revertible: false });
    const result = revertResultOf(r);
    expect(result).toMatchObject({ total: 5, deleted: 1, restored: 1, skipped: 3, errors_next: null });
    // the reverse of the order the job first wrote them: U-F, U-E, U-C, U-B, U-A
    expect(result.errors).toEqual([
      { external_id: null, code: "changed_since", message: expect.stringMatching(/erased/) },
      {
        external_id: "U-C",
        code: "conflict",
        conflicting_external_ids: ["U-D"],
        message: expect.stringMatching(/c0@example\.org.*U-D/),
      },
      { external_id: "U-A", code: "changed_since", message: expect.stringMatching(/later/) },
    ]);
    expect(await target("U-B")).toBeNull();
    expect(await target("U-E")).toMatchObject({ first_name: "Eve", phone_number: "+447565000001", subscription_sms: true, branch: "North" });
    expect(await target("U-C")).toMatchObject({ email: "c1@example.org" });
    expect(await target("U-A")).toMatchObject({ first_name: "Ann", last_name: "Later" });
    expect(await target("U-D")).toMatchObject({ email: "c0@example.org" });
    expect((await getDeferredResult(t.db, undone.id, staff)).reverted_by).toBe(id);

    // asked again: the same undo; an undo of the undo is refused
    expect(await requestRevert(t.db, undone.id, staff)).toEqual({ id, reused: true });
    await expect(requestRevert(t.db, id, staff)).rejects.toMatchObject({ code: "not_revertible", message: expect.stringMatching(/undo cannot itself/) });
  });

  test("a dry run, a failed job and a job not yet run cannot be undone; another API user's job is not found", async () => {
    const dry = await job([{ external_id: "N-1" }], { dryRun: true });
    expect(dry.revertible).toBe(false);
    await expect(requestRevert(t.db, dry.id, staff)).rejects.toMatchObject({ code: "not_revertible", message: expect.stringMatching(/dry run/) });
    const failed = await settled((await submitImport(t.db, { source: "csv_url", strategy: "reject", csvUrl: "http://127.0.0.1:9/x.csv" })).id);
    expect(failed.status).toBe("failed");
    await expect(requestRevert(t.db, failed.id, staff)).rejects.toMatchObject({ code: "not_revertible", message: expect.stringMatching(/failed/) });
    await worker?.stop();
    worker = null;
    const waiting = await submitImport(t.db, { source: "records", strategy: "reject", records: [{ external_id: "N-2" }] });
    await expect(requestRevert(t.db, waiting.id, staff)).rejects.toMatchObject({ code: "not_revertible", message: expect.stringMatching(/not finished/) });
    await settled(waiting.id);
    const owner = await t.db.prisma.apiUser.create({ data: { id: `owner-${dialect}`, name: "owner" } });
    const mine = await submitImport(t.db, { source: "records", strategy: "reject", records: [{ external_id: "N-3" }], apiUserId: owner.id });
    await settled(mine.id);
    await expect(requestRevert(t.db, mine.id, { apiUserId: "someone-else" })).rejects.toMatchObject({ code: "not_found" });
    await expect(requestRevert(t.db, "no-such-job", staff)).rejects.toMatchObject({ code: "not_found" });
    expect((await requestRevert(t.db, mine.id, { apiUserId: owner.id })).reused).toBe(false);
    // staff undo an API user's job: the API user can follow reverted_by to it
    const theirs = await submitImport(t.db, { source: "records", strategy: "reject", records: [{ external_id: "N-4" }], apiUserId: owner.id });
    await settled(theirs.id);
    const byStaff = await requestRevert(t.db, theirs.id, staff, "staff-1");
    const seen = await getDeferredResult(t.db, theirs.id, { apiUserId: owner.id });
    expect(seen.reverted_by).toBe(byStaff.id);
    expect((await settled(byStaff.id)).status).toBe("ready");
    expect(await getDeferredResult(t.db, byStaff.id, { apiUserId: owner.id })).toMatchObject({ source: "revert", reverts: theirs.id });
  });

  test("a job that gives up part-way is undone to exactly the state before it, duplicates included", async () => {
    // U-X and U-Y share an email, as an earlier `ignore` job may leave them
    await job(
      [
        { external_id: "G-X", email: "shared@example.org", first_name: "Xan" },
        { external_id: "G-Y", email: "shared@example.org" },
      ],
      { strategy: "ignore" },
    );
    const before = { x: await target("G-X"), y: await target("G-Y") };
    const records = [
      { external_id: "G-X", email: "moved@example.org", first_name: "Changed" },
      { external_id: "G-N", first_name: "New" },
      ...Array.from({ length: 20 }, (_, i) => ({ external_id: `G-${i}` })),
    ];
    await worker?.stop();
    const { id } = await submitImport(t.db, { source: "records", strategy: "reject", records });
    // every batch breaks its worker, until the job gives up
    worker = engine("breaking", 2, breaking);
    const r = await settled(id);
    expect(r.status).toBe("failed");
    expect(r.error).toMatchObject({ code: "too_many_attempts", message: expect.stringMatching(/undone/) });
    expect(await target("G-X")).toEqual(before.x);
    expect(await target("G-Y")).toEqual(before.y);
    expect(await target("G-N")).toBeNull();
    expect(await t.db.prisma.target.count({ where: { externalId: { in: records.map((x) => x.external_id) } } })).toBe(1); // G-X
    expect(await t.db.prisma.importChange.count({ where: { jobId: id } })).toBe(0);
  });

  test("an undo that gives up part-way puts back what it had undone, and says so", async () => {
    await job(Array.from({ length: 5 }, (_, i) => ({ external_id: `V-${i + 5}`, first_name: "Before" })));
    const undone = await job([
      ...Array.from({ length: 5 }, (_, i) => ({ external_id: `V-${i}`, first_name: "Created" })),
      ...Array.from({ length: 5 }, (_, i) => ({ external_id: `V-${i + 5}`, first_name: "After" })),
    ]);
    const ids = Array.from({ length: 10 }, (_, i) => `V-${i}`);
    const snapshot = async () => Promise.all(ids.map(async (id) => [id, await target(id)]));
    const afterJob = await snapshot();
    await worker?.stop();
    const { id } = await requestRevert(t.db, undone.id, staff);
    // one member per batch, and every batch breaks its worker, until the undo gives up
    worker = engine("breaking-undo", 1, breaking);
    const r = await settled(id);
    expect(r.status).toBe("failed");
    expect(r.error).toMatchObject({ code: "too_many_attempts", message: expect.stringMatching(/put back as they were/) });
    expect(r.result).toBeUndefined();
    const job5 = await t.db.prisma.importJob.findUniqueOrThrow({ where: { id } });
    expect(job5.processed).toBe(5); // it had gone through half of them
    expect(await snapshot()).toEqual(afterJob);
    expect(await t.db.prisma.importChange.count({ where: { jobId: id } })).toBe(0);
  });

  test("a dry run handed back half-way resumes on its own overlay: the same result as in one go", async () => {
    const records = [
      { external_id: "D-1", email: "d@example.org" },
      { external_id: "D-2", first_name: "Two" },
      { external_id: "D-3", email: "d@example.org" }, // collides with D-1 as the dry run left it
      { external_id: "D-1", first_name: "One" }, // updates the D-1 the dry run created
    ];
    const whole = await job(records, { dryRun: true });
    await worker?.stop();
    worker = null;
    const { id } = await submitImport(t.db, { source: "records", strategy: "reject", dryRun: true, records });
    // stopped after its first batch: it is handed back between batches
    let stop: Promise<void> | null = null;
    const first = engine("stopping", 2, () => void (stop ??= first.stop()));
    await waitFor(async () => stop !== null);
    await stop;
    expect((await t.db.prisma.importJob.findUniqueOrThrow({ where: { id } })).processed).toBe(2);
    const resumed = await settled(id);
    expect(resumed.result).toEqual(whole.result);
    expect(whole.result).toMatchObject({ created: 2, updated: 1, rejected: 1 });
    expect(await t.db.prisma.target.count({ where: { externalId: { startsWith: "D-" } } })).toBe(0);
    await waitFor(async () => (await t.db.prisma.dryRunTarget.count()) === 0); // dropped once the engine is idle
  });

  test.runIf(dialect === "postgresql")("a member erased while a batch that read it is writing is not written back", async () => {
    const pg = (await import("pg")).default;
    const { claimJob } = await import("@/lib/jobs/claim-job");
    const { mergeBatch } = await import("@/lib/merge/merge-batch");
    const { normaliseRecord } = await import("@/lib/records/normalise-record");
    const { TARGET_ERASURE_LOCK } = await import("@/lib/targets/target-store");
    await job([{ external_id: "E-1", first_name: "Old", last_name: "Secret", email: "old.secret@example.org" }]);
    await worker?.stop();
    worker = null;
    const rec = { external_id: "E-1", first_name: "New" };
    const { id } = await submitImport(t.db, { source: "records", strategy: "reject", records: [rec] });
    const claimed = (await claimJob(t.db.sql, "racer", 60_000))!;
    expect(claimed.id).toBe(id);
    // an erasure in progress: it holds the erasure lock and the member's row
    const eraser = new pg.Client({ connectionString: t.url });
    await eraser.connect();
    try {
      await eraser.query("BEGIN");
      await eraser.query("SELECT pg_advisory_xact_lock(hashtext($1))", [TARGET_ERASURE_LOCK]);
      await eraser.query("SELECT 1 FROM target WHERE external_id = 'E-1' FOR UPDATE");
      const results = [normaliseRecord(rec, { catalog: new Map(), phoneRegion: "GB", source: "json" })];
      const merging = mergeBatch(
        t.db.sql,
        { jobId: id, workerId: "racer", leaseMs: 60_000 },
        { id, seq: claimed.seq!, strategy: "reject", dryRun: false },
        { position: 0, results },
        { last: true },
      );
      await new Promise((r) => setTimeout(r, 300)); // the batch is waiting, having read what it could
      await eraser.query("DELETE FROM target WHERE external_id = 'E-1'");
      await eraser.query("COMMIT");
      await merging;
    } finally {
      await eraser.end();
    }
    // the job created the member anew, from its own record only
    expect(await target("E-1")).toMatchObject({ first_name: "New", last_name: null, email: null });
  });

  test("a member erased while a job that holds them runs: the rows it merged already are blanked, the rest create them anew", async () => {
    await worker?.stop();
    worker = null;
    const records = [
      { external_id: "W-1", email: "wanda.first@example.org" },
      { external_id: "W-2", first_name: "Two" },
      { external_id: "W-3", first_name: "Three" },
      { external_id: "W-1", last_name: "Wanderley" }, // still to come when W-1 is erased
    ];
    const { id } = await submitImport(t.db, { source: "records", strategy: "reject", records });
    let reached!: () => void;
    const atBatch = new Promise<void>((r) => (reached = r));
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    worker = engine("gated", 2, async (position) => {
      if (position !== 2) return;
      reached();
      await gate;
    });
    await atBatch;
    await eraseTarget(t.db, "W-1");
    open();
    expect((await settled(id)).result).toMatchObject({ created: 4, updated: 0 }); // W-1 twice
    const chunk = await t.db.prisma.importChunk.findFirstOrThrow({ where: { jobId: id } });
    const text = unpackText(chunkText(chunk));
    expect(text).not.toContain("wanda.first@example.org");
    const staged = JSON.parse(text);
    expect(staged.records ?? staged).toEqual([{}, records[1], records[2], records[3]]);
    expect(await target("W-1")).toMatchObject({ email: null, last_name: "Wanderley" });
  });

  test("an ended preview's overlay is dropped a few thousand rows at a time, stopping when a job waits; a running one's is kept", async () => {
    const ended = await job([{ external_id: "O-1", first_name: "Olga" }], { dryRun: true });
    await worker?.stop();
    worker = null;
    await t.db.prisma.dryRunTarget.deleteMany();
    const overlay = (jobId: string, n: number) =>
      t.db.prisma.dryRunTarget.createMany({ data: Array.from({ length: n }, (_, i) => ({ jobId, externalId: `O-${i}`, state: "{}" })) });
    await overlay(ended.id, 12_000);
    await t.db.prisma.importJob.create({ data: { id: "running-preview", status: "running", source: "records", conflictStrategy: "reject", dryRun: true } });
    await overlay("running-preview", 10);
    const count = (jobId: string) => t.db.prisma.dryRunTarget.count({ where: { jobId } });

    // a job is waiting: one transaction's worth goes, then the engine turns to the job
    expect(await dropEndedOverlays(t.db.sql, async () => false)).toBe(false);
    expect(await count(ended.id)).toBe(7_000);
    expect(await dropEndedOverlays(t.db.sql, async () => true)).toBe(true);
    expect(await count(ended.id)).toBe(0);
    expect(await count("running-preview")).toBe(10);
    await t.db.prisma.importJob.delete({ where: { id: "running-preview" } });
  });

  test("retention: before-images and overlays go with the other details; the job then can no longer be undone", async () => {
    const done = await job([
      { external_id: "R-1", first_name: "Rita", email: "rita@example.org" },
      { external_id: "R-2", first_name: "Ron", email: "bad@" },
    ]);
    expect(await t.db.prisma.importChange.count({ where: { jobId: done.id } })).toBe(1);
    // a large before-image set (a row per batch) is deleted a few batches at a time
    await t.db.prisma.importChange.createMany({
      data: Array.from({ length: 23 }, (_, i) => ({ jobId: done.id, firstOrdinal: 10 + i * 1000, entryCount: 1, entries: JSON.stringify([[`R-fake-${i}`, 10 + i * 1000, {}]]) })),
    });
    // an overlay an engine left behind when it died after the dry run ended
    const dry = await job([{ external_id: "R-3", first_name: "Dry" }], { dryRun: true });
    await t.db.prisma.dryRunTarget.create({ data: { jobId: dry.id, externalId: "R-3", email: "r3@example.org", state: "{}" } });
    // a job with an undo waiting keeps its before-images until the undo has run
    const undoneLater = await job([{ external_id: "R-4", first_name: "Rory" }]);
    await worker?.stop();
    worker = null;
    const undo = await requestRevert(t.db, undoneLater.id, staff);

    const old = new Date(Date.now() - 3 * 86_400_000);
    await t.db.prisma.importJob.updateMany({ where: { id: { in: [done.id, undoneLater.id] } }, data: { finishedAt: old } });
    const first = await forgetExpired(t.db.sql, { retentionDays: 2, uploadExpiryHours: 6 });
    // the dry run is recent, but its overlay goes at once
    expect(first).toMatchObject({ purged: 1, leftovers: 1 });
    expect(await t.db.prisma.importChange.count({ where: { jobId: done.id } })).toBe(0);
    expect(await t.db.prisma.importError.count({ where: { jobId: done.id } })).toBe(0);
    expect(await t.db.prisma.dryRunTarget.count()).toBe(0);
    expect(await t.db.prisma.importChange.count({ where: { jobId: undoneLater.id } })).toBe(1);

    const purged = await getDeferredResult(t.db, done.id, staff);
    expect(purged).toMatchObject({ revertible: false, details_expired_at: expect.any(String), result: { created: 1, rejected: 1 } });
    await expect(requestRevert(t.db, done.id, staff)).rejects.toMatchObject({
      code: "not_revertible",
      message: expect.stringMatching(/retention period.*can no longer be undone/),
    });
    const listed = (await listImports(t.db, { page: 1 })).items.find((i) => i.id === done.id)!;
    expect(listed.notRevertible).toMatch(/can no longer be undone/);

    // the waiting undo runs on what was kept; then the details of its job go too
    expect(revertResultOf(await settled(undo.id))).toMatchObject({ total: 1, deleted: 1 });
    expect(await target("R-4")).toBeNull();
    await t.db.prisma.importJob.update({ where: { id: undo.id }, data: { finishedAt: old } });
    expect((await forgetExpired(t.db.sql, { retentionDays: 2, uploadExpiryHours: 6 })).purged).toBe(2);
    expect(await t.db.prisma.importChange.count()).toBe(
      await t.db.prisma.importChange.count({ where: { job: { detailsPurgedAt: null } } }),
    );
    // asked again, the undo is still answered
    expect(await requestRevert(t.db, undoneLater.id, staff)).toEqual({ id: undo.id, reused: true });

    // leftovers of a purge cut short are swept on the next pass
    await t.db.prisma.importChange.create({ data: { jobId: done.id, firstOrdinal: 1, entryCount: 1, entries: JSON.stringify([["R-left", 1, {}]]) } });
    expect((await forgetExpired(t.db.sql, { retentionDays: 2, uploadExpiryHours: 6 })).leftovers).toBe(1);
    expect(await t.db.prisma.importChange.count({ where: { jobId: done.id } })).toBe(0);
  });
});
