// Integration tests that run jobs through the import engine: a database with
// an engine on it for a describe block, and the job results they wait for.
import { afterAll, beforeAll } from "vitest";
import type { Db } from "@/lib/db/client";
import type { Dialect } from "@/lib/db/dialect";
import { getDeferredResult, type DeferredResult } from "@/lib/imports/deferred-result";
import { startWorker, type WorkerHandle, type WorkerOptions } from "@/lib/queue/worker";
import { createTestDb, waitFor, type TestDb } from "./test-db";

const STAFF = { staff: true } as const;

/** A job's result as staff read it, once the job has ended (ready or failed). */
export function settledResult(db: Db, id: string, timeoutMs?: number): Promise<DeferredResult> {
  return waitFor(async () => {
    const r = await getDeferredResult(db, id, STAFF);
    return r.status === "running" ? null : r;
  }, timeoutMs);
}

/** A job's result once it is ready (a job that fails waits out the time). */
export function readyResult(db: Db, id: string, timeoutMs?: number): Promise<DeferredResult> {
  return waitFor(async () => {
    const r = await getDeferredResult(db, id, STAFF);
    return r.status === "ready" ? r : null;
  }, timeoutMs);
}

/**
 * For the describe block it is called in: a new database of the dialect,
 * filled by `setup`, with a quiet engine on it polling every 10 ms (`engine`
 * adds to or overrides that); both stopped and dropped after the block.
 */
export function dbWithEngine(dialect: Dialect, engine: WorkerOptions = {}, setup?: (t: TestDb) => Promise<unknown>): TestDb {
  let t: TestDb | undefined;
  let worker: WorkerHandle | undefined;
  beforeAll(async () => {
    t = await createTestDb(dialect);
    await setup?.(t);
    worker = startWorker(t.db, { pollMs: 10, log: () => {}, ...engine });
  });
  afterAll(async () => {
    await worker?.stop();
    await t?.drop();
  });
  const made = () => {
    if (!t) throw new Error("the database is made in beforeAll");
    return t;
  };
  return {
    get url() {
      return made().url;
    },
    get db() {
      return made().db;
    },
    drop: () => made().drop(),
  };
}
