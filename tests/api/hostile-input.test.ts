// Malformed and hostile input, seeded, through the real app on every
// database the suite runs: no 5xx ever; nothing stored from a 4xx; every
// accepted job ends ready with counts that add up; and the same outcome,
// request by request, job by job and in the stored targets, on SQLite and
// PostgreSQL. The upload steps get the same treatment.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Dialect } from "@/lib/db/dialect";
import { AppError, ERRORS } from "@/lib/errors";
import { appendUploadChunk, beginUpload, finishUpload } from "@/lib/imports/upload-import";
import { appendUploadSchema, beginUploadSchema, finishUploadSchema } from "@/lib/imports/upload-schema";
import { parseInput } from "@/lib/invalid-payload";
import { rowToTarget } from "@/lib/targets/target-store";
import { allErrors, startAppServer, waitForResult, type AppServer } from "../support/app-server";
import { hostileRequests } from "../support/hostile-requests";
import { DIALECTS } from "../support/test-db";

const SEED = Number(process.env.HOSTILE_SEED ?? 7);
const COUNT = Number(process.env.HOSTILE_COUNT ?? 80);

async function storedTargets(app: AppServer) {
  const rows = await app.t.db.sql.all("SELECT * FROM target ORDER BY external_id");
  return rows.map((row) => rowToTarget(row));
}

describe("hostile input", () => {
  const apps = new Map<Dialect, AppServer>();
  beforeAll(async () => {
    for (const dialect of DIALECTS) {
      const app = await startAppServer(dialect);
      apps.set(dialect, app);
      for (const field of [
        { slug: "score", label: "Score", kind: "float" },
        { slug: "joined_on", label: "Joined", kind: "date" },
      ]) {
        expect((await app.api("/api/custom_fields", { method: "POST", json: field })).status).toBe(201);
      }
    }
  }, 240_000);
  afterAll(async () => {
    for (const app of apps.values()) await app.stop();
  });

  test(`a seeded batch of ${COUNT} requests (seed ${SEED})`, { timeout: 600_000 }, async () => {
    const requests = hostileRequests(SEED, COUNT);
    expect(requests.filter((r) => r.expect === "accepted").length).toBeGreaterThan(COUNT / 5);
    const outcomes = new Map<Dialect, unknown>();
    for (const [dialect, app] of apps) {
      const answers: unknown[] = [];
      const accepted: string[] = [];
      for (const req of requests) {
        const before = await app.t.db.prisma.importJob.count();
        const headers: Record<string, string> = { authorization: `Bearer ${app.token}` };
        if (req.contentType) headers["content-type"] = req.contentType;
        const res = await fetch(`${app.baseUrl}/api/targets/bulk_upsert`, { method: "POST", headers, body: new Uint8Array(req.body) });
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON off the wire
        const body = (await res.json().catch(() => null)) as Record<string, any> | null;
        const label = `${dialect}: ${req.name}`;
        expect(res.status, label).toBeLessThan(500);
        if (req.expect === "refused") {
          expect(res.status, label).toBeGreaterThanOrEqual(400);
          expect(body?.error?.code, label).toEqual(expect.any(String));
          expect(await app.t.db.prisma.importJob.count(), `${label}: nothing stored`).toBe(before);
          answers.push({ status: res.status, code: body!.error.code, details: body!.error.details });
        } else {
          expect(res.status, `${label}: ${JSON.stringify(body)?.slice(0, 300)}`).toBe(200);
          accepted.push(body!.deferred_result_id);
          answers.push({ status: 200 });
        }
      }
      const jobs: unknown[] = [];
      for (const id of accepted) {
        const result = await waitForResult(app, id, 300_000);
        expect(result.status, `${dialect}: job ${id}`).toBe("ready");
        const r = result.result;
        expect(r.created + r.updated + r.unchanged + r.rejected, `${dialect}: counts of ${id}`).toBe(r.total);
        // everything but ids and times, which differ between runs by nature
        const comparable = { ...result, id: null, created_at: null, started_at: null, finished_at: null };
        jobs.push({ ...comparable, result: { ...r, errors: await allErrors(app, result), errors_next: null } });
      }
      outcomes.set(dialect, { answers, jobs, targets: await storedTargets(app) });
    }
    if (outcomes.size === 2) expect(outcomes.get("postgresql")).toEqual(outcomes.get("sqlite"));
  });

  test("the upload steps answer hostile input with a clear 4xx or do their work, never fail", { timeout: 120_000 }, async () => {
    const outcomes = new Map<Dialect, unknown>();
    for (const [dialect, app] of apps) {
      const d = app.t.db;
      const seen: unknown[] = [];
      const call = async (label: string, fn: () => Promise<unknown>) => {
        try {
          await fn();
          seen.push([label, "ok"]);
        } catch (e) {
          expect(e, `${dialect}: ${label} threw something that is not a domain error`).toBeInstanceOf(AppError);
          const status = ERRORS[(e as AppError).code].status;
          expect(status, `${dialect}: ${label}`).toBeGreaterThanOrEqual(400);
          expect(status, `${dialect}: ${label}`).toBeLessThan(500);
          seen.push([label, (e as AppError).code]);
        }
      };
      // as the server actions and the pieces route call them: the input read by its schema first
      const sendBegin = (raw: unknown) => beginUpload(d, "staff-h", parseInput(beginUploadSchema, raw));
      const sendPiece = (user: string, raw: unknown) => appendUploadChunk(d, user, parseInput(appendUploadSchema, raw));
      const sendFinish = (raw: unknown) => finishUpload(d, "staff-h", parseInput(finishUploadSchema, raw));
      const uploadId = "0b8d8f0e-9c52-4b6e-9f6a-2f1e1c3c4d5e";
      const begin = { uploadId, fileName: "hostile.csv", columns: ["id", "name"], mapping: ["external_id", "first_name"], strategy: "reject", totalRows: 3 };
      await call("a NUL in a column name", () => sendBegin({ ...begin, uploadId: randomUUID(), columns: ["id\u0000", "name"] }));
      await call("a lone surrogate in the file name", () => sendBegin({ ...begin, uploadId: randomUUID(), fileName: "a\ud800.csv" }));
      await call("501 columns", () => sendBegin({ ...begin, uploadId: randomUUID(), columns: Array(501).fill("c"), mapping: Array(501).fill("skip") }));
      await call("a negative row count", () => sendBegin({ ...begin, uploadId: randomUUID(), totalRows: -1 }));
      await call("a huge row count", () => sendBegin({ ...begin, uploadId: randomUUID(), totalRows: 1e12 }));
      await call("not a uuid", () => sendBegin({ ...begin, uploadId: "../../etc/passwd" }));
      await call("a mapping to nothing", () => sendBegin({ ...begin, uploadId: randomUUID(), mapping: ["external_id", "__proto__"] }));
      await call("a good begin", () => sendBegin(begin));
      await call("a NUL in a cell", () => sendPiece("staff-h", { uploadId, no: 0, rows: [["A1", "x\u0000"]] }));
      await call("a lone surrogate in a cell", () => sendPiece("staff-h", { uploadId, no: 0, rows: [["A1", "\udfff"]] }));
      await call("a row too wide", () => sendPiece("staff-h", { uploadId, no: 0, rows: [["A1", "x", "y"]] }));
      await call("a piece number far out", () => sendPiece("staff-h", { uploadId, no: 2 ** 31, rows: [["A1", "x"]] }));
      await call("a negative piece number", () => sendPiece("staff-h", { uploadId, no: -1, rows: [["A1", "x"]] }));
      await call("cells that are not text", () => sendPiece("staff-h", { uploadId, no: 0, rows: [[1, { x: 1 }]] }));
      await call("someone else's upload", () => sendPiece("staff-other", { uploadId, no: 0, rows: [["A1", "x"]] }));
      await call("finish with rows missing", () => sendFinish({ uploadId }));
      await call("a good piece", () => sendPiece("staff-h", { uploadId, no: 0, rows: [["U1", "=cmd()"], ["U2", "x".repeat(1000)], ["U1", ""]] }));
      await call("a good finish", () => sendFinish({ uploadId }));
      // an upload is a staff job, not the API user's: look at it directly
      let job = await d.prisma.importJob.findUniqueOrThrow({ where: { id: uploadId } });
      for (let waited = 0; job.status !== "ready" && job.status !== "failed" && waited < 60_000; waited += 50) {
        await new Promise((r) => setTimeout(r, 50));
        job = await d.prisma.importJob.findUniqueOrThrow({ where: { id: uploadId } });
      }
      // U2's name is over 255 characters; the third row's empty cell changes nothing
      expect(job).toMatchObject({ status: "ready", total: 3, created: 1, updated: 0, unchanged: 1, rejected: 1 });
      outcomes.set(dialect, seen);
    }
    if (outcomes.size === 2) expect(outcomes.get("postgresql")).toEqual(outcomes.get("sqlite"));
  });
});
