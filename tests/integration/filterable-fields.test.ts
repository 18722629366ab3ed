// Filterable custom fields (decision 027) on both databases: an admin marks a
// field, the engine's idle step builds its index, the members search finds
// the same members through it as it did by reading every row, and the writes
// (imports, erasure) go on with the index in place; unmarking drops it.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { customValueSql, filterIndexesPending, setFilterable, syncFilterIndexes } from "@/lib/custom-fields/filter-indexes";
import { MAX_FILTERABLE_FIELDS } from "@/lib/custom-fields/custom-field-schema";
import type { CustomFieldKind } from "@/lib/fields";
import { eraseTarget } from "@/lib/targets/erase-target";
import { memberQuerySchema, type MemberQueryInput } from "@/lib/targets/member-query";
import { countMembers, searchMembers } from "@/lib/targets/search-targets";
import { blankTarget, type TargetState } from "@/lib/targets/target-state";
import { writeTargets } from "@/lib/targets/target-store";
import { startWorker } from "@/lib/queue/worker";
import { createTestDb, DIALECTS, waitFor, type TestDb } from "../support/test-db";

const N = 5_000;
const FIELDS = [
  { slug: "branch", label: "Branch", kind: "text" },
  { slug: "dues", label: "Dues", kind: "float" },
  { slug: "joined", label: "Joined", kind: "date" },
] as const;

/** Member i: one of 500 branches, dues in cents' steps, a join date over 25 years; every tenth has none of them. */
function member(i: number): TargetState {
  const t = blankTarget(`M${String(i).padStart(5, "0")}`);
  t.attrs.last_name = `Name${i % 97}`;
  t.attrs.subscription_email = i % 3 === 0;
  if (i % 10 !== 0) t.custom = { branch: `B${i % 500}`, dues: (i % 400) / 4, joined: `${2000 + (i % 25)}-${String(1 + (i % 12)).padStart(2, "0")}-15` };
  return t;
}

const QUERIES: MemberQueryInput[] = [
  { custom: { slug: "branch", eq: "B7" } },
  { custom: { slug: "branch", eq: "B7" }, flags: { subscription_email: "yes" } },
  { custom: { slug: "branch", eq: "B7" }, q: "name7" },
  { custom: { slug: "branch", eq: "nowhere" } },
  { custom: { slug: "dues", min: "7.25", max: "7.75" } },
  { custom: { slug: "dues", min: "99" }, sort: "name", dir: "desc" },
  { custom: { slug: "dues", max: "0" } },
  { custom: { slug: "joined", min: "2003-01-01", max: "2003-02-28" } },
  { custom: { slug: "joined", max: "2000-03-31" }, sort: "updated_at" },
  { custom: { slug: "joined", min: "2001-01-01" } }, // most members: the walk of the sort's index
];

describe.each(DIALECTS)("filterable custom fields (%s)", (dialect) => {
  let t: TestDb;
  const ids = async (input: MemberQueryInput) => {
    const query = memberQuerySchema.parse({ limit: 100, ...input });
    const [page, count] = await Promise.all([searchMembers(t.db, query), countMembers(t.db, query)]);
    return { ids: page.members.map((m) => m.externalId), next: page.next !== null, count };
  };
  const answers = () => Promise.all(QUERIES.map(ids));
  const indexes = async () =>
    (dialect === "sqlite"
      ? await t.db.sql.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'target_cf_%' ORDER BY name")
      : await t.db.sql.all<{ name: string }>("SELECT indexname AS name FROM pg_indexes WHERE tablename = 'target' AND indexname LIKE 'target_cf_%' ORDER BY indexname")
    ).map((r) => r.name);
  const plan = async (sql: string, params: unknown[]) =>
    (await t.db.sql.all<Record<string, string>>(`${dialect === "sqlite" ? "EXPLAIN QUERY PLAN" : "EXPLAIN"} ${sql}`, params))
      .map((r) => r.detail ?? r["QUERY PLAN"])
      .join("\n");
  const fieldId = async (slug: string) => (await t.db.prisma.customField.findUniqueOrThrow({ where: { slug } })).id;
  let byScan: Awaited<ReturnType<typeof answers>>;

  beforeAll(async () => {
    t = await createTestDb(dialect);
    await t.db.prisma.customField.createMany({ data: [...FIELDS] });
    const all = Array.from({ length: N }, (_, i) => member(i));
    await t.db.sql.tx((q) => writeTargets(q, all, new Date("2026-01-01T00:00:00Z"), 1));
    if (dialect === "postgresql") await t.db.sql.run("ANALYZE target");
    byScan = await answers();
  });
  afterAll(async () => t?.drop());

  test("the answers read by scan are the members the data says", () => {
    expect(byScan[0].ids).toEqual(Array.from({ length: N / 500 }, (_, k) => `M${String(7 + 500 * k).padStart(5, "0")}`));
    expect(byScan[3].count).toEqual({ count: 0, more: false });
    expect(byScan[9].count.count).toBeGreaterThan(3_000);
  });

  test("marked filterable, the engine's idle step builds each index; the search finds the same members through it", async () => {
    for (const f of FIELDS) expect(await setFilterable(t.db, f.slug, true)).toEqual({ slug: f.slug, filterable: true, ready: false });
    expect(await filterIndexesPending(t.db.sql)).toBe(true);
    expect(await indexes()).toEqual([]);
    // a job waiting: the step gives way and builds nothing
    expect(await syncFilterIndexes(t.db.sql, async () => false)).toBe(false);
    expect(await indexes()).toEqual([]);

    expect(await syncFilterIndexes(t.db.sql)).toBe(true);
    const names = await Promise.all(FIELDS.map(async (f) => `target_cf_${await fieldId(f.slug)}`));
    expect(await indexes()).toEqual([...names].sort());
    expect(await filterIndexesPending(t.db.sql)).toBe(false);
    expect((await t.db.prisma.customField.findMany()).every((f) => f.filterIndexReady)).toBe(true);

    expect(await answers()).toEqual(byScan);
  });

  test("a selective filter reads its field's index; the residual form hides it from the planner", async () => {
    const cases: { slug: string; kind: CustomFieldKind; where: (v: string) => string; params: unknown[] }[] = [
      { slug: "branch", kind: "text", where: (v) => `${v} = ?`, params: ["B7"] },
      { slug: "dues", kind: "float", where: (v) => `${v} >= ? AND ${v} <= ?`, params: [7.25, 7.5] },
      { slug: "joined", kind: "date", where: (v) => `${v} >= ? AND ${v} <= ?`, params: ["2003-01-01", "2003-01-31"] },
    ];
    for (const c of cases) {
      const value = customValueSql(dialect, c);
      const name = `target_cf_${await fieldId(c.slug)}`;
      expect(await plan(`SELECT external_id FROM target WHERE ${c.where(value.indexed)}`, c.params), c.slug).toContain(name);
      expect(await plan(`SELECT external_id FROM target WHERE ${c.where(value.residual)}`, c.params), c.slug).not.toContain("target_cf_");
    }
  });

  test("imports and erasure write with the indexes in place, and the search sees what they wrote", async () => {
    const moved = Array.from({ length: 1_000 }, (_, i) => {
      const m = member(i * 5 + 1);
      m.custom = { branch: "Moved", dues: 1234.5, joined: "1999-12-31" };
      return m;
    });
    const fresh = Array.from({ length: 10 }, (_, i) => {
      const m = blankTarget(`NEW${i}`);
      m.custom = { branch: "B7", dues: 7.5, joined: "2003-01-20" };
      return m;
    });
    await t.db.sql.tx((q) => writeTargets(q, [...moved, ...fresh], new Date("2026-02-01T00:00:00Z"), 2));
    expect((await ids({ custom: { slug: "branch", eq: "Moved" } })).count).toEqual({ count: 1_000, more: false });
    expect((await ids({ custom: { slug: "dues", min: "1234.5", max: "1234.5" }, limit: 3 })).ids).toEqual(["M00001", "M00006", "M00011"]);
    expect((await ids({ custom: { slug: "joined", max: "1999-12-31" } })).count.count).toBe(1_000);
    const b7 = await ids({ custom: { slug: "branch", eq: "B7" } });
    expect(b7.ids.filter((id) => id.startsWith("NEW"))).toHaveLength(10);

    await eraseTarget(t.db, "NEW3");
    await eraseTarget(t.db, "M00001");
    expect((await ids({ custom: { slug: "branch", eq: "B7" } })).ids).not.toContain("NEW3");
    expect((await ids({ custom: { slug: "branch", eq: "Moved" } })).count.count).toBe(999);
  });

  test("unmarked, the search reads by scan at once and the engine drops the index", async () => {
    const before = await ids({ custom: { slug: "branch", eq: "B7" } });
    const id = await fieldId("branch");
    expect(await setFilterable(t.db, "branch", false)).toEqual({ slug: "branch", filterable: false, ready: false });
    expect(await ids({ custom: { slug: "branch", eq: "B7" } })).toEqual(before);
    expect(await indexes()).toContain(`target_cf_${id}`);
    expect(await syncFilterIndexes(t.db.sql)).toBe(true);
    expect(await indexes()).not.toContain(`target_cf_${id}`);
    expect((await t.db.prisma.customField.findUniqueOrThrow({ where: { slug: "branch" } })).filterIndexReady).toBe(false);
    expect(await ids({ custom: { slug: "branch", eq: "B7" } })).toEqual(before);
  });

  test("a running engine with nothing to merge builds a newly marked field's index and says it is ready", async () => {
    await t.db.prisma.customField.create({ data: { slug: "grade", label: "Grade", kind: "text" } });
    const worker = startWorker(t.db, { pollMs: 10, log: () => {}, threads: 0, housekeeping: false, stage: false });
    try {
      await setFilterable(t.db, "grade", true);
      await waitFor(async () => (await t.db.prisma.customField.findUniqueOrThrow({ where: { slug: "grade" } })).filterIndexReady);
      expect(await indexes()).toContain(`target_cf_${await fieldId("grade")}`);
      await setFilterable(t.db, "grade", false);
      await waitFor(async () => !(await t.db.prisma.customField.findUniqueOrThrow({ where: { slug: "grade" } })).filterIndexReady);
      expect(await indexes()).not.toContain(`target_cf_${await fieldId("grade")}`);
    } finally {
      await worker.stop();
    }
  });

  test(`a lost index is built again; an index whose field is gone is dropped; at most ${MAX_FILTERABLE_FIELDS} fields`, async () => {
    const dues = await fieldId("dues");
    await t.db.sql.run(`DROP INDEX target_cf_${dues}`);
    expect(await syncFilterIndexes(t.db.sql)).toBe(true);
    expect(await indexes()).toContain(`target_cf_${dues}`);

    const joined = await fieldId("joined");
    await t.db.prisma.customField.delete({ where: { slug: "joined" } });
    await syncFilterIndexes(t.db.sql);
    expect(await indexes()).not.toContain(`target_cf_${joined}`);

    const extra = Array.from({ length: MAX_FILTERABLE_FIELDS }, (_, i) => ({ slug: `extra_${i}`, label: `Extra ${i}`, kind: "text" }));
    await t.db.prisma.customField.createMany({ data: extra });
    // dues is one: nine more fit, the tenth does not
    for (const f of extra.slice(0, MAX_FILTERABLE_FIELDS - 1)) await setFilterable(t.db, f.slug, true);
    await expect(setFilterable(t.db, extra[MAX_FILTERABLE_FIELDS - 1].slug, true)).rejects.toMatchObject({ code: "limit_reached" });
    expect(await t.db.prisma.customField.count({ where: { filterable: true } })).toBe(MAX_FILTERABLE_FIELDS);
  });
});
