// The oldest staged format (a chunk holding a JSON array of record objects)
// is retired by a migration: a database that still holds such a chunk has it
// turned into a body, and the job then merges (and erases) as any other.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { nowTimestampSql } from "@/lib/db/sql";
import type { Dialect } from "@/lib/db/dialect";
import { parseChunk } from "@/lib/jobs/staged-rows";
import { startWorker, type WorkerHandle } from "@/lib/queue/worker";
import { eraseTarget } from "@/lib/targets/erase-target";
import { getTarget } from "@/lib/targets/get-target";
import { readyResult } from "../support/engine-db";
import { createTestDb, DIALECTS, type TestDb } from "../support/test-db";

const MIGRATION = "20261206230000_retire_record_array_chunks";
const migrationSql = (dialect: Dialect) =>
  readFileSync(resolve(import.meta.dirname, "../../prisma/migrations", dialect, MIGRATION, "migration.sql"), "utf8");

const OLD_ROWS = JSON.stringify([
  { external_id: "OLD1", email: "old1@example.org", first_name: "Ada" },
  { external_id: "OLD2", phone_number: "+447565000000" },
]);
const CELLS = JSON.stringify([["C1", "c1@example.org"]]);

describe.each(DIALECTS)("the record-array staged format is retired by a migration (%s)", (dialect) => {
  let t: TestDb | undefined;
  let worker: WorkerHandle | undefined;
  afterEach(async () => {
    await worker?.stop();
    await t?.drop();
  });

  test("a waiting job staged in the old format merges and erases after the migration; cells are left as they are", async () => {
    t = await createTestDb(dialect);
    const q = t.db.sql;
    const insertJob = (id: string, seq: number, source: string, status: string) =>
      q.run(
        `INSERT INTO import_job (id, seq, status, source, conflict_strategy, staged, total, created_at)
         VALUES (?, ?, ?, ?, 'reject', ?, ?, ${nowTimestampSql(q.dialect)})`,
        [id, seq, status, source, true, 2],
      );
    // an upload's cells, kept after it finished (its own job, not merged here)
    await insertJob("cells-job", 1, "upload", "failed");
    await q.run("INSERT INTO import_chunk (job_id, no, start, row_count, rows) VALUES ('cells-job', 0, 0, 1, ?)", [CELLS]);
    await insertJob("old-job", 2, "records", "queued");
    await q.run("INSERT INTO import_chunk (job_id, no, start, row_count, rows) VALUES ('old-job', 0, 0, 2, ?)", [OLD_ROWS]);
    expect(() => parseChunk(OLD_ROWS)).toThrow(/not a list of cells/); // no longer read as it was

    await q.run(migrationSql(dialect));

    const rowsOf = async (jobId: string) => (await q.get<{ rows: string }>("SELECT rows FROM import_chunk WHERE job_id = ?", [jobId]))!.rows;
    expect(await rowsOf("cells-job")).toBe(CELLS);
    expect(parseChunk(await rowsOf("old-job"))).toEqual(JSON.parse(OLD_ROWS));

    worker = startWorker(t.db, { pollMs: 10, log: () => {}, threads: 0 });
    const result = await readyResult(t.db, "old-job");
    expect(result.result).toMatchObject({ total: 2, created: 2, rejected: 0 });
    expect(await getTarget(t.db, "OLD1")).toMatchObject({ email: "old1@example.org", first_name: "Ada" });
    expect(await getTarget(t.db, "OLD2")).toMatchObject({ phone_number: "+447565000000" });

    // erasure blanks the member's row in the migrated chunk, in place
    await eraseTarget(t.db, "OLD1");
    expect(parseChunk(await rowsOf("old-job"))).toEqual([{}, JSON.parse(OLD_ROWS)[1]]);
  });
});
