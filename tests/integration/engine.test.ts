// The engine's own behaviour, on both databases: a CSV by URL is staged ahead
// of its turn while earlier jobs merge, yet merges after them; a stager that
// loses its lease cannot write; acceptance in groups keeps the merge order
// and the Idempotency-Key rules.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { getDeferredResult } from "@/lib/imports/deferred-result";
import { submitImport } from "@/lib/imports/submit-import";
import { beginUploadSchema } from "@/lib/imports/upload-schema";
import { parseInput } from "@/lib/invalid-payload";
import { LeaseLostError } from "@/lib/jobs/job-lease";
import { claimStaging, stageChunks } from "@/lib/jobs/stage-job";
import { chunkText, encodeCells, unpackText } from "@/lib/jobs/staged-rows";
import { FrontPressure } from "@/lib/queue/front-pressure";
import { startWorker } from "@/lib/queue/worker";
import { readyResult } from "../support/engine-db";
import { startFixtureServer } from "../support/http-fixture";
import { createTestDb, DIALECTS, waitFor, type TestDb } from "../support/test-db";

const csv = ["external_id,first_name"];
for (let i = 0; i < 300; i++) csv.push(`S${i},Staged`);

describe.each(DIALECTS)("engine (%s)", (dialect) => {
  let t: TestDb;
  let srv: Awaited<ReturnType<typeof startFixtureServer>>;
  beforeAll(async () => {
    t = await createTestDb(dialect);
    srv = await startFixtureServer({ "/later.csv": (_q, res) => res.end(csv.join("\n")) });
  });
  afterAll(async () => {
    await srv?.close();
    await t?.drop();
  });

  test("a CSV by URL is staged while the job before it merges, and merges after it", async () => {
    const records = Array.from({ length: 600 }, (_, i) => ({ external_id: `A${i}`, first_name: "First" }));
    const first = await submitImport(t.db, { source: "records", strategy: "reject", records });
    // slow batches, so the first job is still merging when the CSV is staged
    const worker = startWorker(t.db, {
      pollMs: 10,
      log: () => {},
      batchSize: 10,
      threads: 0,
      run: { csv: { allowedHosts: ["127.0.0.1"], timeoutMs: 5_000, maxBytes: 1_000_000 }, afterBatch: () => new Promise((r) => setTimeout(r, 15)) },
    });
    try {
      // the CSV comes once the first job is merging (else the stager could finish before the first claim)
      await waitFor(async () => ((await t.db.prisma.importJob.findUniqueOrThrow({ where: { id: first.id } })).processed > 0 ? true : null), 30_000);
      const second = await submitImport(t.db, { source: "csv_url", strategy: "reject", csvUrl: srv.url("/later.csv") });
      const stagedWhileFirstRan = await waitFor(async () => {
        const [a, b] = await Promise.all([
          t.db.prisma.importJob.findUniqueOrThrow({ where: { id: first.id } }),
          t.db.prisma.importJob.findUniqueOrThrow({ where: { id: second.id } }),
        ]);
        if (!b.staged) return null;
        return { firstStatus: a.status, firstProcessed: a.processed, secondTotal: b.total, secondProcessed: b.processed };
      }, 30_000);
      expect(stagedWhileFirstRan.firstStatus).toBe("running");
      expect(stagedWhileFirstRan.firstProcessed).toBeLessThan(600);
      expect(stagedWhileFirstRan).toMatchObject({ secondTotal: 300, secondProcessed: 0 });

      const done = await readyResult(t.db, second.id, 60_000);
      expect(done.result).toMatchObject({ total: 300, created: 300, rejected: 0 });
      const [a, b] = await Promise.all([
        t.db.prisma.importJob.findUniqueOrThrow({ where: { id: first.id } }),
        t.db.prisma.importJob.findUniqueOrThrow({ where: { id: second.id } }),
      ]);
      expect(b.startedAt!.getTime()).toBeGreaterThanOrEqual(a.finishedAt!.getTime());
    } finally {
      await worker.stop();
    }
  });

  test("a request body is kept deflated (a tenth of its size) and merges as sent", async () => {
    const records = Array.from({ length: 1000 }, (_, i) => ({
      external_id: `Z${i}`,
      first_name: `First${i}`,
      email: `z${i}@example.org`,
      phone_number: `+447400${String(i).padStart(6, "0")}`,
    }));
    const bodyText = JSON.stringify({ records });
    const job = await submitImport(t.db, { source: "records", strategy: "reject", records, bodyText });
    const chunk = await t.db.prisma.importChunk.findFirstOrThrow({ where: { jobId: job.id } });
    expect(chunk.rows).toBe("");
    expect(chunk.packed!.length).toBeLessThan(Buffer.byteLength(bodyText) / 5);
    expect(unpackText(chunkText(chunk))).toBe(bodyText); // exactly as sent
    const worker = startWorker(t.db, { pollMs: 10, log: () => {}, threads: 1 });
    try {
      const done = await readyResult(t.db, job.id, 60_000);
      expect(done.result).toMatchObject({ total: 1000, created: 1000, rejected: 0 });
      const last = await t.db.prisma.target.findUniqueOrThrow({ where: { externalId: "Z999" } });
      expect(last).toMatchObject({ firstName: "First999", email: "z999@example.org", phoneNumber: "+447400000999" });
    } finally {
      await worker.stop();
    }
  });

  test.skipIf(dialect !== "postgresql")("PostgreSQL keeps staged cells lz4-compressed", async () => {
    const job = await submitImport(t.db, { source: "csv_url", strategy: "reject", csvUrl: srv.url("/later.csv") });
    try {
      const staging = await claimStaging(t.db.sql, "lz4-test", 60_000);
      expect(staging?.id).toBe(job.id);
      const rows = Array.from({ length: 1000 }, (_, i) => [`C${i}`, `First${i}`, `Last${i}`, `c${i}@example.org`, `+447400${String(i).padStart(6, "0")}`]);
      await stageChunks(t.db.sql, { jobId: job.id, workerId: "lz4-test", leaseMs: 60_000 }, [{ no: 0, start: 0, rowCount: rows.length, text: encodeCells(rows) }]);
      const [stored] = await t.db.prisma.$queryRawUnsafe<{ method: string; bytes: number; kept: number }[]>(
        `SELECT pg_column_compression("rows") AS method, octet_length("rows") AS bytes, pg_column_size("rows") AS kept
           FROM import_chunk WHERE job_id = $1`,
        job.id,
      );
      expect(stored.method).toBe("lz4");
      expect(Number(stored.kept)).toBeLessThan(Number(stored.bytes) / 2);
    } finally {
      await t.db.prisma.importJob.delete({ where: { id: job.id } }); // half-staged on purpose: not left at the head of the queue
    }
  });

  test("while the front server is busy the engine waits before each batch, and goes on at once when it calms down", async () => {
    const pressure = new FrontPressure({ maxWaitMs: 250 });
    const at: number[] = [];
    const records = Array.from({ length: 60 }, (_, i) => ({ external_id: `P${i}` }));
    pressure.receive({ type: "front-load", busy: 0.95 });
    const keepBusy = setInterval(() => pressure.receive({ type: "front-load", busy: 0.95 }), 100);
    const job = await submitImport(t.db, { source: "records", strategy: "reject", records });
    const worker = startWorker(t.db, {
      pollMs: 10,
      log: () => {},
      batchSize: 10,
      threads: 0,
      run: {
        giveWay: () => pressure.giveWay(),
        afterBatch: (position) => {
          at.push(performance.now());
          if (position === 30) {
            clearInterval(keepBusy);
            pressure.receive({ type: "front-load", busy: 0.1 });
          }
        },
      },
    });
    try {
      const done = await readyResult(t.db, job.id, 30_000);
      expect(done.result).toMatchObject({ created: 60 });
      const gaps = at.slice(1).map((t, i) => t - at[i]);
      expect(gaps.slice(0, 2).every((g) => g >= 200)).toBe(true); // batches 2 and 3: waited while busy
      expect(Math.max(...gaps.slice(2))).toBeLessThan(200); // after the calm report: no waiting
    } finally {
      clearInterval(keepBusy);
      await worker.stop();
    }
  });

  test("a stager that lost its lease cannot write rows", async () => {
    const job = await submitImport(t.db, { source: "csv_url", strategy: "reject", csvUrl: srv.url("/later.csv") });
    const zombie = await claimStaging(t.db.sql, "zombie", 1);
    expect(zombie?.id).toBe(job.id);
    await new Promise((r) => setTimeout(r, 20)); // its 1 ms lease runs out
    expect((await claimStaging(t.db.sql, "successor", 60_000))?.id).toBe(job.id);
    await expect(
      stageChunks(t.db.sql, { jobId: job.id, workerId: "zombie", leaseMs: 60_000 }, [{ no: 0, start: 0, rowCount: 1, text: encodeCells([["Z1", "Zombie"]]) }]),
    ).rejects.toBeInstanceOf(LeaseLostError);
    expect(await t.db.prisma.importChunk.count({ where: { jobId: job.id } })).toBe(0);
  });

  test("jobs accepted together keep their order; a reused key in the same group answers the same job", async () => {
    const submissions = Array.from({ length: 40 }, (_, i) =>
      submitImport(t.db, {
        source: "records",
        strategy: "reject",
        records: [{ external_id: `G${i % 5}` }],
        // every fifth shares a key and a body with the one five before it
        idempotencyKey: `key-${i % 35}`,
        requestHash: `hash-${i % 35}`,
        apiUserId: undefined,
      }),
    );
    const accepted = await Promise.all(submissions);
    const ids = accepted.map((a) => a.id);
    expect(new Set(ids).size).toBe(40); // no API user: keys are not shared
    const rows = await t.db.prisma.importJob.findMany({ where: { id: { in: ids } }, select: { seq: true } });
    const seqs = rows.map((r) => r.seq!).sort((a, b) => a - b);
    expect(seqs.at(-1)! - seqs[0]).toBe(39); // contiguous places in the order
  });

  test("with an API user, the same Idempotency-Key and body in one burst make one job", async () => {
    const user = await t.db.prisma.apiUser.create({ data: { id: `u-${Date.now()}`, name: "burst" } });
    const burst = await Promise.all(
      Array.from({ length: 10 }, () =>
        submitImport(t.db, {
          source: "records",
          strategy: "reject",
          records: [{ external_id: "K1" }],
          idempotencyKey: "same",
          requestHash: "same-body",
          apiUserId: user.id,
        }),
      ),
    );
    expect(new Set(burst.map((b) => b.id)).size).toBe(1);
    expect(burst.filter((b) => !b.reused)).toHaveLength(1);
    await expect(
      submitImport(t.db, {
        source: "records",
        strategy: "reject",
        records: [{ external_id: "K2" }],
        idempotencyKey: "same",
        requestHash: "another-body",
        apiUserId: user.id,
      }),
    ).rejects.toMatchObject({ code: "idempotency_key_reused" });
  });
});

describe.each(DIALECTS)("retention (%s)", (dialect) => {
  let t: TestDb;
  let srv: Awaited<ReturnType<typeof startFixtureServer>>;
  beforeAll(async () => {
    t = await createTestDb(dialect);
    srv = await startFixtureServer({ "/signed.csv": (_q, res) => res.end("external_id,email\nR1,r1@example.org\nR2,nope\n") });
  });
  afterAll(async () => {
    await srv?.close();
    await t?.drop();
  });

  test("a finished job's rows and problems are deleted after the retention period; its counts stay and it says so", async () => {
    const { forgetExpired } = await import("@/lib/jobs/retention");
    const { id } = await submitImport(t.db, {
      source: "csv_url",
      strategy: "reject",
      csvUrl: `${srv.url("/signed.csv")}?X-Amz-Signature=secret&expires=1`,
    });
    const worker = startWorker(t.db, { pollMs: 10, log: () => {}, housekeeping: false, run: { csv: { allowedHosts: ["127.0.0.1"], timeoutMs: 5_000, maxBytes: 1_000_000 } } });
    try {
      await readyResult(t.db, id);
    } finally {
      await worker.stop();
    }
    const job = await t.db.prisma.importJob.findUniqueOrThrow({ where: { id } });
    expect(job.csvUrl).toBe(srv.url("/signed.csv")); // the signed link's query is gone once fetched
    expect(await t.db.prisma.importChunk.count({ where: { jobId: id } })).toBeGreaterThan(0);

    // not yet due
    expect((await forgetExpired(t.db.sql, { retentionDays: 1, uploadExpiryHours: 1 })).purged).toBe(0);
    // finished two days ago
    await t.db.prisma.importJob.update({ where: { id }, data: { finishedAt: new Date(Date.now() - 2 * 86_400_000) } });
    expect((await forgetExpired(t.db.sql, { retentionDays: 1, uploadExpiryHours: 1 })).purged).toBe(1);

    expect(await t.db.prisma.importChunk.count({ where: { jobId: id } })).toBe(0);
    expect(await t.db.prisma.importError.count({ where: { jobId: id } })).toBe(0);
    const r = await getDeferredResult(t.db, id, { staff: true });
    expect(r.details_expired_at).not.toBeNull();
    expect(r.result).toMatchObject({ total: 2, created: 1, rejected: 1, errors: [] });
    const { listImports } = await import("@/lib/imports/list-imports");
    expect((await listImports(t.db, { page: 1 })).items.find((i) => i.id === id)?.detailsExpiredAt).toBeInstanceOf(Date);
  });

  test("an upload never finished is deleted after a few hours, with its rows", async () => {
    const { forgetExpired } = await import("@/lib/jobs/retention");
    const { beginUpload, appendUploadChunk } = await import("@/lib/imports/upload-import");
    const { randomUUID } = await import("node:crypto");
    const uploadId = randomUUID();
    await beginUpload(t.db, "staff-r", parseInput(beginUploadSchema, { uploadId, fileName: "f.csv", columns: ["id"], mapping: ["external_id"], strategy: "reject", totalRows: 2 }));
    await appendUploadChunk(t.db, "staff-r", { uploadId, no: 0, rows: [["X1"]] });
    expect((await forgetExpired(t.db.sql, { retentionDays: 30, uploadExpiryHours: 6 })).expiredUploads).toBe(0);
    await t.db.prisma.importJob.update({ where: { id: uploadId }, data: { createdAt: new Date(Date.now() - 7 * 3_600_000) } });
    expect((await forgetExpired(t.db.sql, { retentionDays: 30, uploadExpiryHours: 6 })).expiredUploads).toBe(1);
    expect(await t.db.prisma.importJob.count({ where: { id: uploadId } })).toBe(0);
    expect(await t.db.prisma.importChunk.count({ where: { jobId: uploadId } })).toBe(0);
  });
});
