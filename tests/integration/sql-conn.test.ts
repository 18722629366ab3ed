// PostgreSQL statements through lib/db/sql-conn.ts are prepared once per
// connection (named), and a process never names more than PG_NAMED_MAX.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { PG_NAMED_MAX } from "@/lib/db/sql-conn";
import { createTestDb, DIALECTS, type TestDb } from "../support/test-db";

describe.runIf(DIALECTS.includes("postgresql"))("statements on PostgreSQL", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb("postgresql");
  });
  afterAll(async () => t?.drop());

  const prepared = "SELECT name, statement FROM pg_prepared_statements WHERE statement LIKE ?";

  test("a statement run again on a connection is parsed and planned once, and answers each time", async () => {
    const rows = await t.db.sql.tx(async (q) => {
      const answers = [];
      for (let i = 0; i < 7; i++) answers.push((await q.get<{ n: number }>("SELECT ?::int + 1 AS n /* again */", [i]))!.n);
      expect(answers).toEqual([1, 2, 3, 4, 5, 6, 7]);
      return q.all<{ name: string; statement: string }>(prepared, ["%/* again */%"]);
    });
    expect(rows).toHaveLength(1);
    expect(rows[0].name).toMatch(/^ti_\d+$/);
  });

  test("past the named limit, statements still run, unnamed", async () => {
    const held = await t.db.sql.tx(async (q) => {
      for (let k = 0; k < PG_NAMED_MAX + 50; k++) {
        expect((await q.get<{ n: number }>(`SELECT ?::int + ${k} AS n /* many */`, [1]))!.n).toBe(k + 1);
      }
      return q.all(prepared, ["%/* many */%"]);
    });
    expect(held.length).toBeGreaterThan(0);
    expect(held.length).toBeLessThanOrEqual(PG_NAMED_MAX);
  });
});
