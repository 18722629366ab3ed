// The members search on both databases: what a staff user types finds the
// same members in the same order on SQLite and PostgreSQL, and paging with
// the cursor neither skips nor repeats anyone while imports keep writing.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { blankTarget, type TargetState } from "@/lib/targets/target-state";
import { writeTargets } from "@/lib/targets/target-store";
import { memberQuerySchema, type MemberQueryInput } from "@/lib/targets/member-query";
import { countMembers, listPage, planMembers, readPage, searchMembers } from "@/lib/targets/search-targets";
import { backfillSearchColumns } from "@/lib/targets/search-backfill";
import { createTestDb, DIALECTS, type TestDb } from "../support/test-db";

type Seed = { id: string; first?: string; last?: string; email?: string; phone?: string; flags?: Partial<Record<"subscription_email" | "subscription_sms", boolean>>; custom?: Record<string, string | number> };

function target(s: Seed): TargetState {
  const t = blankTarget(s.id);
  t.attrs.first_name = s.first ?? null;
  t.attrs.last_name = s.last ?? null;
  t.attrs.email = s.email ?? null;
  t.attrs.phone_number = s.phone ?? null;
  t.attrs.subscription_email = s.flags?.subscription_email ?? null;
  t.attrs.subscription_sms = s.flags?.subscription_sms ?? null;
  t.custom = s.custom ?? {};
  return t;
}

const PEOPLE: Seed[] = [
  { id: "M001", first: "Siân", last: "Jones", email: "sian.jones@example.org", phone: "+447400123456", flags: { subscription_email: true } },
  { id: "M002", first: "Sean", last: "O'Brien", email: "sean@example.org", phone: "+447400999888", flags: { subscription_email: false, subscription_sms: true } },
  { id: "M003", first: "Łukasz", last: "Müller", email: "lukasz@example.pl", custom: { branch: "North", pay: 12.5, joined: "2021-03-04" } },
  { id: "ab-7", first: "José", last: "Álvarez", email: "josé@example.es", custom: { branch: "South", pay: 30, joined: "2024-01-01" } },
  { id: "AB-8", first: "ZOË", last: "Smith", flags: { subscription_email: true } },
  { id: "Ñ9", last: "Peña" },
  { id: "x10", first: "Siobhan", last: "Sianfield" },
];

describe.each(DIALECTS)("members search (%s)", (dialect) => {
  let t: TestDb;
  const find = async (input: MemberQueryInput) => (await searchMembers(t.db, memberQuerySchema.parse(input))).members.map((m) => m.externalId);

  beforeAll(async () => {
    t = await createTestDb(dialect);
    await t.db.prisma.customField.createMany({
      data: [
        { slug: "branch", label: "Branch", kind: "text" },
        { slug: "pay", label: "Pay", kind: "float" },
        { slug: "joined", label: "Joined", kind: "date" },
      ],
    });
    await t.db.sql.tx((q) => writeTargets(q, PEOPLE.map(target), new Date("2026-01-01T00:00:00Z"), 1));
  });
  afterAll(async () => t?.drop());

  test("a prefix of a name, the id or the email, ignoring case and accents; no match finds nobody", async () => {
    expect(await find({ q: "sian" })).toEqual(["M001", "x10"]); // Siân, and Sianfield
    expect(await find({ q: "SIÂN" })).toEqual(["M001", "x10"]);
    expect(await find({ q: "lukasz" })).toEqual(["M003"]);
    expect(await find({ q: "mull" })).toEqual(["M003"]);
    expect(await find({ q: "alv" })).toEqual(["ab-7"]);
    expect(await find({ q: "zoe" })).toEqual(["AB-8"]);
    expect(await find({ q: "ab-" })).toEqual(["AB-8", "ab-7"]); // the id, whatever its case; code point order
    expect(await find({ q: "n" })).toEqual(["Ñ9"]);
    expect(await find({ q: "jose@" })).toEqual(["ab-7"]);
    expect(await find({ q: "sean@example" })).toEqual(["M002"]);
    expect(await find({ q: "o'b" })).toEqual(["M002"]);
    expect(await find({ q: "ones" })).toEqual([]); // not a prefix of Jones
    expect(await find({ q: "nobody" })).toEqual([]);
    expect(await find({ q: "   " })).toHaveLength(PEOPLE.length);
  });

  test("a phone number in any form the upsert accepts finds the same member", async () => {
    for (const form of ["07400 123456", "+447400123456", "7400123456", "+44 (0)7400-123-456", "0044 7400 123456"]) {
      expect(await find({ q: form }), form).toEqual(["M001"]);
    }
    expect(await find({ q: "07400 000000" })).toEqual([]);
  });

  test("flags, custom fields and their ranges filter; the count is exact", async () => {
    expect(await find({ flags: { subscription_email: "yes" } })).toEqual(["AB-8", "M001"]);
    expect(await find({ flags: { subscription_email: "no" } })).toEqual(["M002"]);
    expect(await find({ flags: { subscription_email: "unknown", subscription_sms: "unknown" } })).toEqual(["M003", "ab-7", "x10", "Ñ9"]);
    expect(await find({ flags: { subscription_sms: "yes" }, q: "sea" })).toEqual(["M002"]);
    expect(await find({ custom: { slug: "branch", eq: "North" } })).toEqual(["M003"]);
    expect(await find({ custom: { slug: "pay", min: "12.5" } })).toEqual(["M003", "ab-7"]);
    expect(await find({ custom: { slug: "pay", min: "13", max: "40" } })).toEqual(["ab-7"]);
    expect(await find({ custom: { slug: "joined", max: "2023-12-31" } })).toEqual(["M003"]);
    const counted = await countMembers(t.db, memberQuerySchema.parse({ flags: { subscription_email: "yes" } }));
    expect(counted).toEqual({ count: 2, more: false });
    await expect(find({ custom: { slug: "branch", min: "A" } })).rejects.toThrow(/filter it by a value/);
    await expect(find({ custom: { slug: "nope", eq: "x" } })).rejects.toThrow(/no custom field/);
  });

  test("sorts by name and by member number, both ways, identically on both databases", async () => {
    expect(await find({ sort: "name" })).toEqual(["x10", "M001", "M003", "M002", "Ñ9", "AB-8", "ab-7"].sort(byName));
    expect(await find({ sort: "external_id", dir: "desc" })).toEqual(["Ñ9", "x10", "ab-7", "M003", "M002", "M001", "AB-8"]);
  });

  test("paging with the cursor, while new members arrive, never repeats or skips one that was there", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let added = 0;
    for (;;) {
      const page = await searchMembers(t.db, memberQuerySchema.parse({ limit: 2, cursor }));
      seen.push(...page.members.map((m) => m.externalId));
      // an import writes meanwhile: members before and after the cursor
      await t.db.sql.tx((q) => writeTargets(q, [target({ id: `A${added}` }), target({ id: `z${added}` })], new Date(), 2));
      added++;
      if (!page.next) break;
      cursor = page.next;
    }
    for (const p of PEOPLE) expect(seen.filter((id) => id === p.id)).toHaveLength(1);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual([...seen].sort(codePoints));
    await expect(searchMembers(t.db, memberQuerySchema.parse({ cursor: "bm9wZQ" }))).rejects.toThrow(/cursor/);
  });

  test("members stored before the search columns existed are found once the start fills them", async () => {
    await t.db.sql.run("UPDATE target SET search_first = '', search_last = '', search_id = NULL, search_email = NULL, flag_code = -1");
    expect(await find({ q: "sian" })).toEqual(["M001"]); // by the email as stored; the names are not folded yet
    expect(await backfillSearchColumns(t.db.sql)).toBeGreaterThanOrEqual(PEOPLE.length);
    expect(await find({ q: "sian" })).toEqual(["M001", "x10"]);
    expect(await find({ flags: { subscription_email: "yes" } })).toEqual(["AB-8", "M001"]);
  });
});

describe.each(DIALECTS)("members search plans (%s)", (dialect) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(dialect);
    // more members than the walked window holds, the few that match sorting after all of them
    const fillers = Array.from({ length: 25_000 }, (_, i) => target({ id: `F${String(i).padStart(6, "0")}`, first: i % 3 ? "Filler" : "Fenna", last: `Row${i % 97}`, flags: { subscription_email: i % 2 === 0 } }));
    await t.db.sql.tx((q) => writeTargets(q, [...fillers, ...PEOPLE.map(target)], new Date("2026-01-01T00:00:00Z"), 1));
    // an import that changed every fifth filler and Siân
    await t.db.prisma.importJob.create({ data: { id: "job-big", seq: 5, status: "ready", source: "records", conflictStrategy: "reject" } });
    const changed = [...fillers.filter((_, i) => i % 5 === 0).map((f) => f.externalId), "M001"];
    // as the engine leaves them: the job's rows, and the job their last writer
    const list = dialect === "postgresql" ? "SELECT value FROM json_array_elements_text(?::json)" : "SELECT value FROM json_each(?)";
    await t.db.sql.run(`INSERT INTO target_change (job_seq, external_id, batch) SELECT 5, value, 0 FROM (${list}) AS ids`, [JSON.stringify(changed)]);
    await t.db.sql.run(`UPDATE target SET last_job_seq = 5 WHERE external_id IN (${list})`, [JSON.stringify(changed)]);
  }, 60_000);
  afterAll(async () => t?.drop());

  /** Every page of a search, read with the plan for few matches or the one for many. */
  async function allPages(input: MemberQueryInput, more: boolean): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const query = memberQuerySchema.parse({ ...input, cursor, limit: 100 });
      const plan = await planMembers(t.db, query);
      const page = await readPage(t.db, { ...plan, count: { count: 0, more } }, query);
      ids.push(...page.members.map((m) => m.externalId));
      cursor = page.next ?? undefined;
    } while (cursor);
    return ids;
  }

  test.each<[string, MemberQueryInput]>([
    ["a rare name past the window", { q: "sian" }],
    ["a rare name sorted by name, descending", { q: "sian", sort: "name", dir: "desc" }],
    ["a last name sorting after the window, with a flag (each OR read on its own)", { q: "sm", sort: "name", flags: { subscription_email: "yes" } }],
    ["a common name", { q: "fenna" }],
    ["a common name sorted by name (ties on both names, then the id)", { q: "fenna", sort: "name" }],
    ["a common name by last change, newest first (one timestamp: the id decides)", { q: "fenna", sort: "updated_at", dir: "desc" }],
    ["a common name and a flag", { q: "fenna", flags: { subscription_email: "yes" } }],
    ["a flag sorted by last change", { flags: { subscription_email: "no" }, sort: "updated_at" }],
    ["changed by an import", { changedBy: "job-big" }],
    ["changed by an import, with a search and a flag", { changedBy: "job-big", q: "fenna", flags: { subscription_email: "yes" } }],
    ["changed by an import, a rare name, sorted by name", { changedBy: "job-big", q: "sian", sort: "name" }],
  ])("%s: both plans give the same members in the same order", async (_label, input) => {
    const few = await allPages(input, false);
    expect(few.length).toBeGreaterThan(0);
    expect(await allPages(input, true)).toEqual(few);
  }, 60_000);

  test.each<MemberQueryInput>([
    { q: "f" },
    { q: "fenna", sort: "name" },
    { q: "fenna", sort: "updated_at", dir: "desc", flags: { subscription_email: "yes" } },
    { q: "sian", sort: "name", dir: "desc" },
    { q: "nobody-is-called-this" },
    { changedBy: "job-big" },
    { changedBy: "job-big", q: "sian" },
    { changedBy: "job-big", q: "fenna", sort: "name" },
    { changedBy: "job-big", q: "f" },
    { q: "f", flags: { subscription_email: "no" } },
    { flags: { subscription_email: "no" } },
    {},
  ])(
    // a first page with few matches is counted and read in one pass: the same members and count
    "the list's request (count, then page) answers as the page and count apart: %o",
    async (input) => {
      const query = memberQuerySchema.parse(input);
      expect(await listPage(t.db, query)).toEqual({ page: await searchMembers(t.db, query), count: await countMembers(t.db, query) });
    },
  );

  test("the count is exact up to 10,000 and says more beyond", async () => {
    expect(await countMembers(t.db, memberQuerySchema.parse({ q: "fenna" }))).toEqual({ count: 8334, more: false });
    expect(await countMembers(t.db, memberQuerySchema.parse({ q: "f" }))).toEqual({ count: 10_000, more: true });
    expect(await countMembers(t.db, memberQuerySchema.parse({ changedBy: "job-big", q: "fenna" }))).toEqual({ count: 1667, more: false });
    const first = await searchMembers(t.db, memberQuerySchema.parse({ q: "sian" }));
    expect(first.members.map((m) => m.externalId)).toEqual(["M001", "x10"]);
  });
});

const codePoints = (a: string, b: string) => (Buffer.from(a) < Buffer.from(b) ? -1 : Buffer.from(a) > Buffer.from(b) ? 1 : 0);

/** By folded last name, then first name, then id, in code point order. */
function byName(a: string, b: string): number {
  const fold = (s: string) => s.toLowerCase().normalize("NFKD").replace(/\p{M}+/gu, "").replace(/ł/g, "l");
  const key = (id: string) => {
    const p = PEOPLE.find((x) => x.id === id)!;
    return [fold(p.last ?? ""), fold(p.first ?? ""), id];
  };
  const [ka, kb] = [key(a), key(b)];
  for (let i = 0; i < 3; i++) {
    const c = codePoints(ka[i], kb[i]);
    if (c) return c;
  }
  return 0;
}
