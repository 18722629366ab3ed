// The job listing (contract: "Job listing"), on both databases: the caller's
// jobs only, the last accepted first, each as GET /api/deferred_results/<id>
// answers it without its errors; filters by status and source; keyset pages
// that neither repeat nor skip a job while new jobs are accepted between
// them; and the parameters it refuses. No engine runs: accepted jobs wait
// (running), and the tests give jobs their ends directly in the database.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createApiUserWithToken } from "@/lib/auth/api-tokens";
import { getDeferredResult } from "@/lib/imports/deferred-result";
import { listDeferredResults, parseDeferredResultListQuery, type DeferredResultList } from "@/lib/imports/list-deferred-results";
import { requestRevert } from "@/lib/imports/revert-import";
import { submitImport } from "@/lib/imports/submit-import";
import { createTestDb, DIALECTS, type TestDb } from "../support/test-db";

describe.each(DIALECTS)("job listing (%s)", (dialect) => {
  let t: TestDb;
  let alice: string;
  let bob: string;
  beforeAll(async () => {
    t = await createTestDb(dialect);
    alice = (await createApiUserWithToken(t.db, "Alice's CRM")).apiUserId;
    bob = (await createApiUserWithToken(t.db, "Bob's CRM")).apiUserId;
  });
  afterAll(async () => t?.drop());

  /** A page as the route reads it: the URL's parameters, then the list. */
  const list = (apiUserId: string, params = ""): Promise<DeferredResultList> =>
    listDeferredResults(t.db, apiUserId, parseDeferredResultListQuery(new URLSearchParams(params)));
  const ids = (page: DeferredResultList) => page.deferred_results.map((d) => d.id);
  /** Every page, following `next` from the first. */
  async function walk(apiUserId: string, params: string, between?: () => Promise<void>): Promise<string[]> {
    const seen: string[] = [];
    let page = await list(apiUserId, params);
    for (;;) {
      seen.push(...ids(page));
      if (!page.next) return seen;
      await between?.();
      page = await list(apiUserId, new URL(page.next, "http://x").searchParams.toString());
    }
  }
  const accept = async (apiUserId: string | undefined, n = 1, source: "records" | "csv_url" = "records") => {
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      const input =
        source === "records"
          ? ({ source, records: [{ external_id: `R${i}` }] } as const)
          : ({ source, csvUrl: `https://files.example.org/${i}.csv` } as const);
      out.push((await submitImport(t.db, { ...input, strategy: "reject", apiUserId, staffUserId: apiUserId ? undefined : "a-staff-user" })).id);
    }
    return out;
  };
  const end = (id: string, status: "ready" | "failed" | "cancelled", data: Record<string, unknown> = {}) =>
    t.db.prisma.importJob.update({ where: { id }, data: { status, startedAt: new Date(), finishedAt: new Date(), ...data } });

  test("the caller's jobs only, the last accepted first, each as GET answers it without result.errors and errors_next", async () => {
    const mine: string[] = [];
    for (let round = 0; round < 3; round++) {
      mine.push(...(await accept(alice, 2)));
      await accept(bob, 2); // another API user's
      await accept(undefined, 1); // a staff member's
    }
    const done = mine[1];
    await end(done, "ready", { total: 3, processed: 3, created: 1, updated: 1, rejected: 1, fieldChanges: '{"email":1}', errorCount: 1 });
    await t.db.prisma.importError.create({ data: { jobId: done, seq: 0, position: 2, externalId: "R2", code: "invalid_email", field: "email", message: "not an email" } });

    const page = await list(alice);
    expect(ids(page)).toEqual([...mine].reverse());
    expect(page.next).toBeNull();
    const shown = page.deferred_results.find((d) => d.id === done)!;
    const full = await getDeferredResult(t.db, done, { apiUserId: alice });
    expect(full.result).toMatchObject({ errors: [{ external_id: "R2", code: "invalid_email" }], errors_next: null });
    const counts = { ...full.result } as Record<string, unknown>;
    delete counts.errors;
    delete counts.errors_next;
    expect(shown).toEqual({ ...full, result: counts });
    expect(shown.result).toEqual({ total: 3, created: 1, updated: 1, unchanged: 0, rejected: 1, conflicts_ignored: 0, field_changes: { email: 1 } });
    // a waiting job is as its poll shows it too
    expect(page.deferred_results.at(-1)).toEqual(await getDeferredResult(t.db, mine[0], { apiUserId: alice }));

    const bobs = await list(bob);
    expect(bobs.deferred_results).toHaveLength(6);
    expect(ids(bobs).filter((id) => mine.includes(id))).toEqual([]);
  });

  test("filters: each status (cancelled once a job is cancelled) and each source, alone and together", async () => {
    const { apiUserId: carol } = await createApiUserWithToken(t.db, "Carol's CRM");
    const [r1, r2, r3, r4] = await accept(carol, 4);
    const [c1, c2] = await accept(carol, 2, "csv_url");
    await end(r1, "ready", { total: 1, processed: 1, created: 1 });
    await end(r2, "failed", { failureCode: "internal_error", failureMessage: "gave up" });
    await end(c1, "failed", { failureCode: "csv_unreachable", failureMessage: "no answer" });
    const { id: undo } = await requestRevert(t.db, r1, { apiUserId: carol });
    const statuses = async (params: string) => Object.fromEntries((await list(carol, params)).deferred_results.map((d) => [d.id, d.status]));

    expect(ids(await list(carol, "status=cancelled"))).toEqual([]);
    await end(r3, "cancelled", { processed: 0 });
    const cancelled = await list(carol, "status=cancelled");
    expect(cancelled.deferred_results).toEqual([expect.objectContaining({ id: r3, status: "cancelled", error: null })]);
    expect(cancelled.deferred_results[0].result).toBeNull(); // contract: "Cancel"

    expect(ids(await list(carol, "status=running"))).toEqual([undo, c2, r4]);
    expect(ids(await list(carol, "status=ready"))).toEqual([r1]);
    expect(ids(await list(carol, "status=failed"))).toEqual([c1, r2]);
    expect(ids(await list(carol, "source=records"))).toEqual([r4, r3, r2, r1]);
    expect(ids(await list(carol, "source=csv_url"))).toEqual([c2, c1]);
    expect((await list(carol, "source=revert")).deferred_results).toEqual([expect.objectContaining({ id: undo, source: "revert", reverts: r1 })]);
    expect(await statuses("source=records&status=failed")).toEqual({ [r2]: "failed" });
    expect(await statuses("status=running&source=csv_url")).toEqual({ [c2]: "running" });
    // the undone job says so in the list as in its poll
    expect((await list(carol, "status=ready")).deferred_results[0]).toMatchObject({ reverted_by: undo, revertible: true });
    // a filter pages too, and keeps itself in `next`
    const first = await list(carol, "source=records&limit=3");
    expect(ids(first)).toEqual([r4, r3, r2]);
    expect(first.next).toMatch(/^\/api\/deferred_results\?source=records&limit=3&cursor=[A-Za-z0-9_-]+$/);
    expect(await walk(carol, "source=records&limit=3")).toEqual([r4, r3, r2, r1]);
  });

  test("paging while new jobs are accepted between pages: every job that existed at the first page once, in order; the new ones top a new listing", async () => {
    const { apiUserId: dan } = await createApiUserWithToken(t.db, "Dan's CRM");
    const before = (await accept(dan, 11)).reverse();
    await end(before[4], "ready", { total: 1, processed: 1, unchanged: 1 });
    const arrived: string[] = [];
    const seen = await walk(dan, "limit=3", async () => {
      arrived.push(...(await accept(dan, 2)));
      await accept(bob, 1);
    });
    expect(seen).toEqual(before);
    expect(arrived).toHaveLength(6); // between the 4 pages of 11
    expect(ids(await list(dan, "limit=100"))).toEqual([...arrived.reverse(), ...before]);
    // the running ones, paged two at a time while more arrive
    const running = ids(await list(dan, "status=running&limit=100"));
    expect(await walk(dan, "status=running&limit=2", async () => void (await accept(dan, 1)))).toEqual(running);
  });

  test("limit: the page's size, 50 by default; the last page says next null", async () => {
    const { apiUserId: eve } = await createApiUserWithToken(t.db, "Eve's CRM");
    const all = (await accept(eve, 52)).reverse();
    const first = await list(eve);
    expect(ids(first)).toEqual(all.slice(0, 50));
    expect(first.next).toMatch(/limit=50&cursor=/);
    const second = await list(eve, new URL(first.next!, "http://x").searchParams.toString());
    expect([ids(second), second.next]).toEqual([all.slice(50), null]);
    expect(ids(await list(eve, "limit=1"))).toEqual([all[0]]);
    expect(ids(await list(eve, "limit=100"))).toEqual(all);
    // exactly a page's worth left: no empty page after it
    expect((await list(eve, "limit=52")).next).toBeNull();
  });

  test.each([
    ["status=queued", "status"],
    ["status=Ready", "status"],
    ["status=", "status"],
    ["source=upload", "source"],
    ["source=revert,records", "source"],
    ["limit=0", "limit"],
    ["limit=101", "limit"],
    ["limit=ten", "limit"],
    ["limit=1.5", "limit"],
    ["limit=-1", "limit"],
    ["limit=+5", "limit"],
    ["limit=", "limit"],
    ["cursor=", "cursor"],
    ["cursor=nope", "cursor"],
    [`cursor=${Buffer.from("0").toString("base64url")}`, "cursor"],
    [`cursor=${Buffer.from("-3").toString("base64url")}`, "cursor"],
    [`cursor=${Buffer.from("12").toString("base64url")}!`, "cursor"],
    ["page=2", ""],
    ["q=x", ""],
    ["status=ready&status=failed", "status"],
    ["limit=5&limit=5", "limit"],
  ])("%s is refused: invalid_payload naming %s", (params, path) => {
    let thrown: unknown;
    try {
      parseDeferredResultListQuery(new URLSearchParams(params));
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toMatchObject({ code: "invalid_payload", details: [expect.objectContaining({ path })] });
  });
});
