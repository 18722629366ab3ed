// Fault paths of the worker: a worker process killed mid-job (SIGKILL) has its
// job taken over after the lease and finished exactly once; the database going
// away mid-job does not lose or double-apply work.
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { getDeferredResult, listImportErrors, revertResultOf } from "@/lib/imports/deferred-result";
import { requestRevert } from "@/lib/imports/revert-import";
import { rowToTarget } from "@/lib/targets/target-store";
import { submitImport } from "@/lib/imports/submit-import";
import { startWorker } from "@/lib/queue/worker";
import { readyResult } from "../support/engine-db";
import { ReferenceModel, randomRecord, rng, sortKeys, type RefTarget } from "../support/reference-model";
import { createTestDb, DIALECTS, NODE_TS, waitFor, type TestDb } from "../support/test-db";

const ROOT = resolve(import.meta.dirname, "../..");

describe.each(DIALECTS)("worker faults (%s)", (dialect) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(dialect);
    await t.db.prisma.customField.create({ data: { slug: "score", label: "Score", kind: "float" } });
  });
  afterAll(async () => t?.drop());

  test("a worker killed mid-job: the job is taken over and applied exactly once", async () => {
    const r = rng(42);
    const model = new ReferenceModel();
    const records = Array.from({ length: 3000 }, () => randomRecord(r, 400));
    const expected = model.applyJob(records, "reject");
    const { id } = await submitImport(t.db, { source: "records", strategy: "reject", records: records.map((x) => x.raw) });

    // the engine process itself, with normaliser threads and small batches, so the kill lands between commits
    const child = spawn(process.execPath, [...NODE_TS, "scripts/worker.ts"], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: t.url, JOB_LEASE_MS: "1500", WORKER_POLL_MS: "20", ENGINE_BATCH_SIZE: "20", ENGINE_THREADS: "2" },
      stdio: "ignore",
    });
    const partly = await waitFor(async () => {
      const job = await t.db.prisma.importJob.findUniqueOrThrow({ where: { id } });
      return job.processed >= 100 ? job : null;
    }, 60_000);
    child.kill("SIGKILL");
    await new Promise((res) => child.once("exit", res));
    const atKill = await t.db.prisma.importJob.findUniqueOrThrow({ where: { id } });
    expect(atKill.status).toBe("running");
    expect(atKill.processed).toBeGreaterThanOrEqual(partly.processed);
    expect(atKill.processed).toBeLessThan(3000);
    expect(atKill.processed % 20).toBe(0); // whole batches only

    const rescuer = startWorker(t.db, { id: "rescuer", pollMs: 20, leaseMs: 1500, log: () => {}, batchSize: 7 });
    try {
      const result = await readyResult(t.db, id, 60_000);
      expect(result.result).toMatchObject({
        total: 3000,
        created: expected.created,
        updated: expected.updated,
        unchanged: expected.unchanged,
        rejected: expected.rejected,
      });
      const job = await t.db.prisma.importJob.findUniqueOrThrow({ where: { id } });
      expect(job.attempts).toBe(2);
      expect(job.processed).toBe(3000);
      expect(job.errorCount).toBe(expected.entries.length);
      expect(await t.db.prisma.target.count()).toBe(model.targets.size);
    } finally {
      await rescuer.stop();
    }
  });

  test("a worker killed mid-undo: the undo is taken over and its outcome is the uninterrupted one", { timeout: 120_000 }, async () => {
    // a database of its own: the model must know every stored target
    const own = await createTestDb(dialect);
    await own.db.prisma.customField.create({ data: { slug: "score", label: "Score", kind: "float" } });
    const r = rng(8);
    const model = new ReferenceModel();
    const seqOf = async (id: string) => (await own.db.prisma.importJob.findUniqueOrThrow({ where: { id } })).seq!;
    const helper = startWorker(own.db, { id: "merger", pollMs: 10, log: () => {}, batchSize: 500, housekeeping: false });
    let undoId: string;
    let undoneId: string;
    try {
      // the job to undo, then a later one that changes some of its targets (changed_since)
      const first = Array.from({ length: 3000 }, () => randomRecord(r, 4000));
      const later = Array.from({ length: 300 }, () => randomRecord(r, 4000));
      const a = await submitImport(own.db, { source: "records", strategy: "ignore", records: first.map((x) => x.raw) });
      undoneId = a.id;
      model.applyJob(first, "ignore", { seq: await seqOf(a.id) });
      const b = await submitImport(own.db, { source: "records", strategy: "reject", records: later.map((x) => x.raw) });
      model.applyJob(later, "reject", { seq: await seqOf(b.id) });
      await readyResult(own.db, b.id, 60_000);
      await helper.stop();
      undoId = (await requestRevert(own.db, a.id, { staff: true })).id;
    } catch (e) {
      await helper.stop();
      await own.drop();
      throw e;
    }
    const expected = model.revert(await seqOf(undoneId), await seqOf(undoId));
    try {
      expect(expected.total).toBeGreaterThan(1000);
      expect(expected.skipped).toBeGreaterThan(0);
      const child = spawn(process.execPath, [...NODE_TS, "scripts/worker.ts"], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: own.url, JOB_LEASE_MS: "1500", WORKER_POLL_MS: "20", ENGINE_BATCH_SIZE: "20", ENGINE_THREADS: "0" },
        stdio: "ignore",
      });
      await waitFor(async () => (await own.db.prisma.importJob.findUniqueOrThrow({ where: { id: undoId } })).processed >= 100, 60_000);
      child.kill("SIGKILL");
      await new Promise((res) => child.once("exit", res));
      const atKill = await own.db.prisma.importJob.findUniqueOrThrow({ where: { id: undoId } });
      expect(atKill.status).toBe("running");
      expect(atKill.processed).toBeLessThan(expected.total);
      expect(atKill.processed % 20).toBe(0); // whole batches only

      const rescuer = startWorker(own.db, { id: "rescuer", pollMs: 20, leaseMs: 1500, log: () => {}, batchSize: 7, housekeeping: false });
      try {
        const done = await readyResult(own.db, undoId, 60_000);
        const result = revertResultOf(done);
        expect({ total: result.total, deleted: result.deleted, restored: result.restored, skipped: result.skipped }).toEqual({
          total: expected.total,
          deleted: expected.deleted,
          restored: expected.restored,
          skipped: expected.skipped,
        });
        const entries: { external_id: string | null; code: string; conflicting_external_ids?: string[] }[] = [...result.errors];
        for (let next = result.errors_next; next; ) {
          const page = await listImportErrors(own.db, undoId, { staff: true }, new URL(next, "http://x").searchParams.get("cursor"));
          entries.push(...(page.errors as typeof entries));
          next = page.errors_next;
        }
        expect(entries.map((e) => [e.external_id, e.code, e.conflicting_external_ids ?? []])).toEqual(
          expected.entries.map((e) => [e.externalId, e.code, e.conflicting ?? []]),
        );
        const job = await own.db.prisma.importJob.findUniqueOrThrow({ where: { id: undoId } });
        expect(job.attempts).toBe(2);
        expect(job.processed).toBe(expected.total);
        const stored = new Map<string, RefTarget>();
        for (const row of await own.db.sql.all("SELECT * FROM target")) {
          const s = rowToTarget(row);
          const flat: RefTarget = {};
          for (const [k, v] of Object.entries(s.attrs)) if (v !== null) flat[k] = v;
          Object.assign(flat, s.custom);
          stored.set(s.externalId, sortKeys(flat));
        }
        expect(Object.fromEntries(stored)).toEqual(Object.fromEntries([...model.targets].map(([id, v]) => [id, sortKeys(v)])));
      } finally {
        await rescuer.stop();
      }
    } finally {
      await own.drop();
    }
  });

  test("a worker whose lease was taken over cannot commit", async () => {
    const { id } = await submitImport(t.db, {
      source: "records",
      strategy: "reject",
      records: [{ external_id: "FENCE1", first_name: "Zombie" }],
    });
    const { claimJob } = await import("@/lib/jobs/claim-job");
    const { mergeBatch } = await import("@/lib/merge/merge-batch");
    const { normaliseRecord } = await import("@/lib/records/normalise-record");
    expect((await claimJob(t.db.sql, "zombie", 1))?.id).toBe(id);
    await new Promise((r) => setTimeout(r, 20)); // the 1 ms lease runs out
    expect((await claimJob(t.db.sql, "successor", 300))?.id).toBe(id);
    const results = [normaliseRecord({ external_id: "FENCE1", first_name: "Zombie" }, { catalog: new Map(), phoneRegion: "GB", source: "json" })];
    await expect(
      mergeBatch(t.db.sql, { jobId: id, workerId: "zombie", leaseMs: 60_000 }, { id, seq: 1, strategy: "reject", dryRun: false }, { position: 0, results }),
    ).rejects.toThrow(/lease/);
    expect(await t.db.prisma.target.count({ where: { externalId: "FENCE1" } })).toBe(0);
    // the successor's short lease runs out too; a live worker finishes the job
    const w = startWorker(t.db, { id: "live", pollMs: 10, leaseMs: 60_000, log: () => {} });
    try {
      await readyResult(t.db, id);
    } finally {
      await w.stop();
    }
    expect(await t.db.prisma.target.count({ where: { externalId: "FENCE1" } })).toBe(1);
  });

  test.runIf(dialect === "postgresql")("connections cut mid-job: the job still ends with every record applied once", { timeout: 90_000 }, async () => {
    const pg = (await import("pg")).default;
    const r = rng(7);
    const model = new ReferenceModel();
    const records = Array.from({ length: 2000 }, () => randomRecord(r, 300)).map((x) => ({
      ...x,
      externalId: `CUT-${x.externalId}`,
      raw: { ...x.raw, external_id: `CUT-${String(x.raw.external_id).trim()}` },
    }));
    // emails/phones may collide with targets of the earlier tests: give this
    // job its own by dropping them
    for (const x of records) {
      delete (x.raw as Record<string, unknown>).email;
      delete (x.raw as Record<string, unknown>).phone_number;
      delete x.sets.email;
      delete x.sets.phone_number;
      x.problems = x.problems.filter((p) => p.field !== "email" && p.field !== "phone_number");
    }
    const expected = model.applyJob(records, "ignore");
    const { id } = await submitImport(t.db, { source: "records", strategy: "ignore", records: records.map((x) => x.raw) });
    const logs: string[] = [];
    const w = startWorker(t.db, { id: "cut", pollMs: 10, leaseMs: 2_000, log: (m) => logs.push(m), batchSize: 25, threads: 1 });
    const admin = new pg.Client({ connectionString: t.url });
    await admin.connect();
    try {
      // more cuts than MAX_ATTEMPTS: database trouble must not fail the job
      for (let i = 0; i < 8; i++) {
        await new Promise((res) => setTimeout(res, 150));
        await admin.query(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
        );
      }
      const result = await waitFor(async () => {
        try {
          const x = await getDeferredResult(t.db, id, { staff: true });
          return x.status === "ready" ? x : null;
        } catch {
          return null; // this process's own connections were cut too
        }
      }, 60_000).catch((e) => {
        throw new Error(`${e.message}\n${logs.join("\n").slice(0, 3000)}`);
      });
      expect(result.result).toMatchObject({
        total: 2000,
        created: expected.created,
        updated: expected.updated,
        unchanged: expected.unchanged,
        rejected: expected.rejected,
      });
      expect(await t.db.prisma.target.count({ where: { externalId: { startsWith: "CUT-" } } })).toBe(model.targets.size);
      const job = await t.db.prisma.importJob.findUniqueOrThrow({ where: { id } });
      expect(job.attempts, `attempts counted despite the outage; worker log:\n${logs.join("\n").slice(0, 3000)}`).toBeLessThanOrEqual(2);
    } finally {
      await admin.end();
      await w.stop();
    }
  });
});
