// A search with "changed by import" (decision 035): counted OR by OR, each
// member once however many of the search's ORs find them, "more" when the
// ORs together pass 10,000 though none does alone, and every page, read
// from the ids the count found or by the plan for many, the same as a
// reference filter of the members, on both databases.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { memberQuerySchema, type MemberQueryInput } from "@/lib/targets/member-query";
import { countMembers, listPage, searchMembers } from "@/lib/targets/search-targets";
import { blankTarget, type TargetState } from "@/lib/targets/target-state";
import { writeTargets } from "@/lib/targets/target-store";
import { createTestDb, DIALECTS, type TestDb } from "../support/test-db";

type Person = { id: string; first: string; last: string; email: string };

// Kim 0–5999: found by first name and by email; Lee Kimball 0–5999: by last
// name; Kimberly 0–499: by first name, in no import. Ids interleave the groups.
const PEOPLE: Person[] = [
  ...Array.from({ length: 6000 }, (_, i) => ({ id: `K${String(i * 3).padStart(6, "0")}`, first: "Kim", last: `Xu${i}`, email: `kim${i}@example.org` })),
  ...Array.from({ length: 6000 }, (_, i) => ({ id: `K${String(i * 3 + 1).padStart(6, "0")}`, first: "Lee", last: "Kimball", email: `lee${i}@example.org` })),
  ...Array.from({ length: 500 }, (_, i) => ({ id: `K${String(i * 3 + 2).padStart(6, "0")}`, first: "Kimberly", last: `Young${i}`, email: `kb${i}@example.org` })),
];

function target(p: Person): TargetState {
  const t = blankTarget(p.id);
  t.attrs.first_name = p.first;
  t.attrs.last_name = p.last;
  t.attrs.email = p.email;
  return t;
}

/** What the search finds, by definition: a prefix of the first name, last name or email. */
const finds = (q: string) => (p: Person) => [p.first, p.last, p.email].some((v) => v.toLowerCase().startsWith(q));
const codePoints = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
const byName = (a: Person, b: Person) => codePoints(a.last.toLowerCase(), b.last.toLowerCase()) || codePoints(a.first.toLowerCase(), b.first.toLowerCase()) || codePoints(a.id, b.id);

describe.each(DIALECTS)("a search with changed by import (%s)", (dialect) => {
  let t: TestDb;
  // "every": nine in ten of Kim and of Lee Kimball (10,800 members); "some": every third Kim (2,000)
  const every = PEOPLE.filter((p, i) => p.first !== "Kimberly" && i % 10 !== 0);
  const some = PEOPLE.filter((p, i) => p.first === "Kim" && i % 3 === 0);

  beforeAll(async () => {
    t = await createTestDb(dialect);
    await t.db.sql.tx((q) => writeTargets(q, PEOPLE.map(target), new Date("2026-01-01T00:00:00Z"), 1));
    for (const [id, seq, members] of [["job-every", 5, every], ["job-some", 6, some]] as const) {
      await t.db.prisma.importJob.create({ data: { id, seq, status: "ready", source: "records", conflictStrategy: "reject" } });
      await t.db.sql.run(
        dialect === "postgresql"
          ? "INSERT INTO target_change (job_seq, external_id, batch) SELECT ?, value, 0 FROM json_array_elements_text(?::json)"
          : "INSERT INTO target_change (job_seq, external_id, batch) SELECT ?, value, 0 FROM json_each(?)",
        [seq, JSON.stringify(members.map((p) => p.id))],
      );
    }
  }, 120_000);
  afterAll(async () => t?.drop());

  const count = (input: MemberQueryInput) => countMembers(t.db, memberQuerySchema.parse(input));

  test("each member counts once, however many of the search's ORs find them", async () => {
    // every third Kim is found by first name and by email: 2,000, not 4,000
    expect(await count({ q: "kim", changedBy: "job-some" })).toEqual({ count: 2000, more: false });
    expect(await count({ q: "kim0", changedBy: "job-some" })).toEqual({ count: 1, more: false }); // kim0@ only
    expect(await count({ q: "lee", changedBy: "job-some" })).toEqual({ count: 0, more: false });
  });

  test("past 10,000 when the ORs together are, though none is alone", async () => {
    // 5,400 by first name (and email), 5,400 by last name: 10,800
    expect(await count({ q: "kim", changedBy: "job-every" })).toEqual({ count: 10_000, more: true });
    // Kimball alone: 5,400, exact
    expect(await count({ q: "kimb", changedBy: "job-every" })).toEqual({ count: 5400, more: false });
  });

  async function allPages(input: MemberQueryInput): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const { page } = await listPage(t.db, memberQuerySchema.parse({ ...input, cursor, limit: 100 }));
      ids.push(...page.members.map((m) => m.externalId));
      cursor = page.next ?? undefined;
    } while (cursor);
    return ids;
  }

  test.each<[string, MemberQueryInput, Person[], (a: Person, b: Person) => number]>([
    ["by member number", { q: "kim", changedBy: "job-some" }, some, (a, b) => codePoints(a.id, b.id)],
    ["by member number, descending", { q: "kim", changedBy: "job-some", dir: "desc" }, some, (a, b) => codePoints(b.id, a.id)],
    ["by name", { q: "kimb", changedBy: "job-every", sort: "name" }, every, byName],
    ["past 10,000, by member number", { q: "kim", changedBy: "job-every" }, every, (a, b) => codePoints(a.id, b.id)],
  ])("every page %s is the reference's, with no one twice", async (_label, input, changed, order) => {
    const expected = changed.filter(finds(String(input.q))).sort(order).map((p) => p.id);
    expect(await allPages(input)).toEqual(expected);
  }, 60_000);

  test("the list's request answers as the page and the count apart", async () => {
    for (const input of [{ q: "kim", changedBy: "job-some" }, { q: "kim", changedBy: "job-every" }, { q: "kimb", changedBy: "job-every", sort: "name" as const }]) {
      const query = memberQuerySchema.parse(input);
      expect(await listPage(t.db, query)).toEqual({ page: await searchMembers(t.db, query), count: await countMembers(t.db, query) });
    }
  });
});
