// A search with "changed by import" (decisions 035, 036): counted OR by OR,
// each member once however many of the search's ORs find them, "more" when
// the ORs together pass 10,000 though none does alone, and every page, read
// from the ids the count found or by the plan for many, the same as a
// reference filter of the members, on both databases. Then the same through
// real jobs (later imports, an undo, a dry run, an erasure), where
// PostgreSQL tells most of an import's members by their last writer: against
// the filter's definition, the import's rows in target_change.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createApiUserWithToken } from "@/lib/auth/api-tokens";
import { bulkUpsertEndpoint } from "@/lib/http/bulk-upsert-endpoint";
import type { IncomingRequest } from "@/lib/http/read-json-body";
import { requestRevert } from "@/lib/imports/revert-import";
import { eraseTarget } from "@/lib/targets/erase-target";
import { memberQuerySchema, type MemberQueryInput } from "@/lib/targets/member-query";
import { countMembers, listPage, searchMembers } from "@/lib/targets/search-targets";
import { foldForSearch } from "@/lib/targets/search-fold";
import { blankTarget, type TargetState } from "@/lib/targets/target-state";
import { writeTargets } from "@/lib/targets/target-store";
import { dbWithEngine, readyResult } from "../support/engine-db";
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

/** Every page of the list, by its cursors. */
async function pagesOf(t: TestDb, input: MemberQueryInput): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const { page } = await listPage(t.db, memberQuerySchema.parse({ ...input, cursor, limit: 100 }));
    ids.push(...page.members.map((m) => m.externalId));
    cursor = page.next ?? undefined;
  } while (cursor);
  return ids;
}

describe.each(DIALECTS)("a search with changed by import (%s)", (dialect) => {
  let t: TestDb;
  // "every": nine in ten of Kim and of Lee Kimball (10,800 members); "some": every third Kim (2,000)
  const every = PEOPLE.filter((p, i) => p.first !== "Kimberly" && i % 10 !== 0);
  const some = PEOPLE.filter((p, i) => p.first === "Kim" && i % 3 === 0);

  beforeAll(async () => {
    t = await createTestDb(dialect);
    await t.db.sql.tx((q) => writeTargets(q, PEOPLE.map(target), new Date("2026-01-01T00:00:00Z"), 1));
    // as the engine leaves them: each job's rows in target_change, and the job
    // the last writer of what it wrote (a member of both: the later one)
    for (const [id, seq, members] of [["job-every", 5, every], ["job-some", 6, some]] as const) {
      await t.db.prisma.importJob.create({ data: { id, seq, status: "ready", source: "records", conflictStrategy: "reject" } });
      const ids = JSON.stringify(members.map((p) => p.id));
      const list = dialect === "postgresql" ? "SELECT value FROM json_array_elements_text(?::json)" : "SELECT value FROM json_each(?)";
      await t.db.sql.run(`INSERT INTO target_change (job_seq, external_id, batch) SELECT ?, value, 0 FROM (${list}) AS ids`, [seq, ids]);
      await t.db.sql.run(`UPDATE target SET last_job_seq = ? WHERE external_id IN (${list})`, [seq, ids]);
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

  const allPages = (input: MemberQueryInput) => pagesOf(t, input);

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

/** A bulk upsert as the front server hands it over. */
function post(body: unknown, authorization: string): IncomingRequest {
  const bytes = new TextEncoder().encode(JSON.stringify(body));
  const headers: Record<string, string> = { authorization, "content-type": "application/json", "content-length": String(bytes.length) };
  return { header: (name) => headers[name] ?? null, readDeclared: () => Promise.resolve(bytes), chunks: async function* () { yield bytes; } };
}

/** Deterministic: the same members and jobs on every run. */
function seeded(seed: number): () => number {
  let x = seed;
  return () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

describe.each(DIALECTS)("changed by import through real jobs (%s)", (dialect) => {
  const t = dbWithEngine(dialect);
  const FIRST = ["Kim", "Kimberly", "Lee", "Ann", "Anna", "Kit"];
  const LAST = ["Kimball", "Annan", "Leeds", "Kitson", "Smith"];
  const jobs: Record<string, string> = {};

  beforeAll(async () => {
    const api = await createApiUserWithToken(t.db, "Roster");
    const auth = `Bearer ${api.token}`;
    const r = seeded(36);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
    const person = (i: number) => {
      const first = pick(FIRST);
      const last = pick(LAST);
      const flag = r();
      return {
        external_id: `R${String(i).padStart(4, "0")}`,
        first_name: first,
        last_name: last,
        email: `${first}.${last}${i}@example.org`.toLowerCase(),
        ...(flag < 0.3 ? {} : { subscription_email: flag < 0.7 }),
      };
    };
    const run = async (name: string, body: object) => {
      const a = await bulkUpsertEndpoint(t.db, post(body, auth), null);
      jobs[name] = (a.body as { deferred_result_id: string }).deferred_result_id;
      await readyResult(t.db, jobs[name]);
    };
    // x: 900 members; y: a third of them renamed, and 100 new; then y undone in part by
    // z writing some again first (so the undo skips those); a dry run; w: a few again
    await run("x", { records: Array.from({ length: 900 }, (_, i) => person(i)) });
    await run("y", { records: Array.from({ length: 1000 }, (_, i) => i * 3).filter((i) => i < 900 || i > 2000).slice(0, 400).map((i) => person(i)) });
    await run("z", { records: Array.from({ length: 60 }, (_, i) => ({ external_id: `R${String(i * 15).padStart(4, "0")}`, first_name: pick(FIRST) })) });
    const undo = await requestRevert(t.db, jobs.y, { apiUserId: api.apiUserId });
    jobs.undo = undo.id;
    await readyResult(t.db, undo.id);
    await run("dry", { records: Array.from({ length: 200 }, (_, i) => person(i * 4)), dry_run: true });
    await run("w", { records: Array.from({ length: 30 }, (_, i) => ({ external_id: `R${String(i * 29).padStart(4, "0")}`, last_name: pick(LAST), subscription_email: i % 2 === 0 })) });
    await eraseTarget(t.db, "R0003");
    await eraseTarget(t.db, "R0030");
  }, 120_000);

  /**
   * The filters' definition: the members whose row the job has in
   * target_change (any member without a job), that the search finds now,
   * with the email flag as asked.
   */
  async function definition(job: string | null, q: string, email?: "yes" | "no" | "unknown"): Promise<string[]> {
    const seq = job === null ? null : (await t.db.sql.get<{ seq: number }>("SELECT seq FROM import_job WHERE id = ?", [job]))!.seq;
    type Row = { external_id: string; first_name: string | null; last_name: string | null; email: string | null; subscription_email: unknown };
    const rows =
      seq === null
        ? await t.db.sql.all<Row>("SELECT t.external_id, t.first_name, t.last_name, t.email, t.subscription_email FROM target t")
        : await t.db.sql.all<Row>(
            "SELECT t.external_id, t.first_name, t.last_name, t.email, t.subscription_email FROM target t JOIN target_change c ON c.external_id = t.external_id AND c.job_seq = ?",
            [seq],
          );
    const p = foldForSearch(q);
    const flagOf = (v: unknown) => (v === null ? "unknown" : v === true || v === 1 ? "yes" : "no");
    return rows
      .filter((m) => [m.external_id, m.first_name, m.last_name, m.email].some((v) => v !== null && foldForSearch(v).startsWith(p)))
      .filter((m) => email === undefined || flagOf(m.subscription_email) === email)
      .map((m) => m.external_id)
      .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  }

  async function expectAsDefined(label: string, input: MemberQueryInput, expected: string[]) {
    expect({ label, count: await countMembers(t.db, memberQuerySchema.parse(input)) }).toEqual({ label, count: { count: expected.length, more: false } });
    expect({ label, pages: await pagesOf(t, input) }).toEqual({ label, pages: expected });
  }

  test.each(["kim", "kimb", "ann", "lee", "kit", "r00", "smith"])("a search within each job, undo and dry run included, finds what the definition does: %s", async (q) => {
    for (const job of ["x", "y", "z", "undo", "dry", "w"]) {
      const expected = await definition(jobs[job], q);
      if (job === "x") expect(expected.length).toBeGreaterThan(10); // the case the last writer serves
      await expectAsDefined(job, { q, changedBy: jobs[job] }, expected);
    }
  }, 60_000);

  // "kitson", "anna", "r01": fewer matches than a flag value has members, so the search drives
  // and, on PostgreSQL, the flag is checked on the search's indexes (decision 036)
  test.each(["kim", "kitson", "anna", "r01"])("a search with a flag, alone and within each job, finds what the definition does: %s", async (q) => {
    for (const email of ["yes", "no", "unknown"] as const) {
      await expectAsDefined(`${email}, any job`, { q, flags: { subscription_email: email } }, await definition(null, q, email));
      for (const job of ["x", "y", "undo", "w"]) {
        await expectAsDefined(`${email}, ${job}`, { q, changedBy: jobs[job], flags: { subscription_email: email } }, await definition(jobs[job], q, email));
      }
    }
  }, 60_000);

  // last: it purges a job's rows
  test("an import past retention is not told by its members' last writer: a later job's rows may be gone first", async () => {
    // x finished 40 days ago, and retention has taken the later jobs' rows (they wrote over a third of x's members)
    await t.db.sql.run(`UPDATE import_job SET finished_at = ? WHERE id = ?`, [new Date(Date.now() - 40 * 86_400_000).toISOString(), jobs.x]);
    await t.db.sql.run("DELETE FROM target_change WHERE job_seq > (SELECT seq FROM import_job WHERE id = ?)", [jobs.x]);
    for (const q of ["kim", "ann", "lee"]) await expectAsDefined(q, { q, changedBy: jobs.x }, await definition(jobs.x, q));
  }, 60_000);
});
