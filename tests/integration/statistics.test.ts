// What the engine's housekeeping does for PostgreSQL's planner on a server
// without autovacuum (lib/db/statistics.ts): after a bulk import, the members
// list's counts read their indexes alone, not every member's row.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { refreshVisibility } from "@/lib/db/statistics";
import { blankTarget } from "@/lib/targets/target-state";
import { writeTargets } from "@/lib/targets/target-store";
import { createTestDb, DIALECTS, type TestDb } from "../support/test-db";

const MEMBERS = 20_000;

describe.each(DIALECTS)("refreshVisibility (%s)", (dialect) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(dialect);
    // as on a server without autovacuum, whatever this one's setting
    if (dialect === "postgresql") await t.db.sql.run("ALTER TABLE target SET (autovacuum_enabled = false)");
    const targets = Array.from({ length: MEMBERS }, (_, i) => {
      const m = blankTarget(`V${String(i).padStart(6, "0")}`);
      m.attrs.last_name = i % 2 ? "Smith" : "Jones";
      return m;
    });
    await t.db.sql.tx((q) => writeTargets(q, targets, new Date("2026-01-01T00:00:00Z"), 1, { created: true }));
  }, 60_000);
  afterAll(async () => t?.drop());

  test("a bulk-written member table is vacuumed once, then a count reads the index alone (PostgreSQL); SQLite has nothing to do", async () => {
    if (dialect === "sqlite") {
      expect(await refreshVisibility(t.db.sql)).toEqual([]);
      return;
    }
    const plan = async () =>
      (await t.db.sql.all<{ "QUERY PLAN": string }>("EXPLAIN (ANALYZE, COSTS OFF) SELECT count(*) FROM (SELECT 1 FROM target WHERE search_last >= 'smith' AND search_last < 'smiti' LIMIT 10001) AS found"))
        .map((r) => r["QUERY PLAN"])
        .join("\n");
    // the statistics views are updated asynchronously: wait until they show the rows written
    for (let i = 0; i < 50 && !(await refreshVisibilityDue()); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await refreshVisibility(t.db.sql)).toContain("target");
    expect(await plan()).toMatch(/Index Only Scan[\s\S]*Heap Fetches: 0/);
    // nothing written since: nothing to do
    expect(await refreshVisibility(t.db.sql)).toEqual([]);
  });

  async function refreshVisibilityDue(): Promise<boolean> {
    const row = await t.db.sql.get<{ n: number }>("SELECT n_ins_since_vacuum AS n FROM pg_stat_user_tables WHERE relname = 'target'");
    return Number(row?.n ?? 0) >= MEMBERS;
  }
});
