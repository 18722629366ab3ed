// CSV-by-URL jobs end to end through the pipeline (submit → worker → result),
// against a local HTTP server, on both databases.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { importResultOf, listImportErrors } from "@/lib/imports/deferred-result";
import { submitImport } from "@/lib/imports/submit-import";
import { getTarget } from "@/lib/targets/get-target";
import { dbWithEngine, readyResult, settledResult } from "../support/engine-db";
import { startFixtureServer } from "../support/http-fixture";
import { DIALECTS } from "../support/test-db";

const big = ["External ID,Email"];
for (let i = 0; i < 2500; i++) big.push(`C${i},c${i}@example.org`);

const FILES: Record<string, string | Buffer> = {
  "/members.csv":
    "\ufeffExternal ID;First Name;Email;Phone Number;Score;Subscription SMS\r\n" +
    'M1;"Smith, Ann";ANN@example.org;07565 000000;1.5;yes\r\n' +
    "M2;Bob;ann@example.org;;;\r\n" + // conflicts with M1 on email
    ";No id;x@example.org;;;\r\n" + // no external_id
    "M3;;not-an-email;;abc;maybe\r\n" + // three problems
    '"M1";"";"";"";"";""\r\n', // empty cells leave M1 unchanged
  "/latin1.csv": Buffer.from([...Buffer.from("external_id,first_name\nL1,Ren"), 0xe9, 0x0a]),
  "/unknown-columns.csv": "external_id,email,shoe_size,favourite colour\nU1,u@example.org,9,red\n",
  "/no-id.csv": "email,first_name\nz@example.org,Zed\n",
  "/big.csv": big.join("\n") + "\n",
};

describe.each(DIALECTS)("CSV by URL jobs (%s)", (dialect) => {
  let srv: Awaited<ReturnType<typeof startFixtureServer>>;
  const csv = { allowedHosts: ["127.0.0.1"], timeoutMs: 5_000, maxBytes: 10_000_000 };
  beforeAll(async () => {
    srv = await startFixtureServer(
      Object.fromEntries(Object.entries(FILES).map(([path, body]) => [path, (_q, res) => res.end(body)])),
    );
  });
  afterAll(async () => srv?.close());
  const t = dbWithEngine(dialect, { run: { csv } }, (t) => t.db.prisma.customField.create({ data: { slug: "score", label: "Score", kind: "float" } }));

  async function runCsv(path: string, strategy: "reject" | "ignore" = "reject") {
    const { id } = await submitImport(t.db, { source: "csv_url", csvUrl: srv.url(path), strategy });
    return settledResult(t.db, id);
  }

  test("headers are normalised, rows reported by 1-based row number, empty cells change nothing", async () => {
    const r = await runCsv("/members.csv");
    expect(r.status).toBe("ready");
    expect(r.source).toBe("csv_url");
    expect(r.result).toMatchObject({ total: 5, created: 1, updated: 0, unchanged: 1, rejected: 3, conflicts_ignored: 0 });
    const problems = importResultOf(r).errors.map((e) => [e.row, e.external_id, e.code, e.field]);
    expect(problems).toEqual(
      expect.arrayContaining([
        [2, "M2", "conflict", "email"],
        [3, null, "invalid_value", "external_id"],
        [4, "M3", "invalid_email", "email"],
        [4, "M3", "invalid_value", "score"],
        [4, "M3", "invalid_value", "subscription_sms"],
      ]),
    );
    expect(importResultOf(r).errors).toHaveLength(5);
    expect(importResultOf(r).errors.every((e) => e.index === undefined)).toBe(true);
    expect(await getTarget(t.db, "M1")).toMatchObject({
      first_name: "Smith, Ann",
      email: "ann@example.org",
      phone_number: "+447565000000",
      score: 1.5,
      subscription_sms: true,
    });
  });

  test("Windows-1252 text arrives intact", async () => {
    expect((await runCsv("/latin1.csv")).status).toBe("ready");
    expect((await getTarget(t.db, "L1")).first_name).toBe("René");
  });

  test("unknown columns fail the job, naming them, and write nothing", async () => {
    const r = await runCsv("/unknown-columns.csv");
    expect(r.status).toBe("failed");
    expect(r.error).toMatchObject({ code: "unknown_columns" });
    expect(r.error!.message).toContain("shoe_size");
    expect(r.error!.message).toContain("favourite_colour");
    expect(r.result).toBeUndefined();
    await expect(getTarget(t.db, "U1")).rejects.toMatchObject({ code: "not_found" });
  });

  test("a missing external_id column fails the job", async () => {
    const r = await runCsv("/no-id.csv");
    expect(r.error).toMatchObject({ code: "missing_external_id_column" });
  });

  test("an unreachable or refused URL fails the job", async () => {
    expect((await runCsv("/nope.csv")).error).toMatchObject({ code: "csv_unreachable" });
    const { id } = await submitImport(t.db, {
      source: "csv_url",
      csvUrl: srv.url("/members.csv", "localhost"),
      strategy: "reject",
    });
    const r = await settledResult(t.db, id);
    expect(r.error).toMatchObject({ code: "csv_refused_address" });
  });

  test("a file of several chunks merges every row; errors page through", async () => {
    const r = await runCsv("/big.csv");
    expect(r.result).toMatchObject({ total: 2500, created: 2500, rejected: 0 });
    const again = await runCsv("/big.csv", "reject");
    expect(again.result).toMatchObject({ total: 2500, unchanged: 2500 });
    // same emails under new ids: 2500 conflicts, paged 100 at a time
    const { id } = await submitImport(t.db, {
      source: "records",
      strategy: "ignore",
      records: Array.from({ length: 250 }, (_, i) => ({ external_id: `D${i}`, email: `c${i}@example.org` })),
    });
    const ignored = await readyResult(t.db, id);
    expect(ignored.result).toMatchObject({ created: 250, conflicts_ignored: 250 });
    expect(importResultOf(ignored).errors).toHaveLength(100);
    const cursor = new URL(importResultOf(ignored).errors_next!, "http://x").searchParams.get("cursor");
    const page2 = await listImportErrors(t.db, id, { staff: true }, cursor);
    expect(page2.errors[0]).toMatchObject({ index: 100, code: "conflict_ignored", conflicting_external_ids: ["C100"] });
    const page3 = await listImportErrors(t.db, id, { staff: true }, new URL(page2.errors_next!, "http://x").searchParams.get("cursor"));
    expect(page3.errors).toHaveLength(50);
    expect(page3.errors_next).toBeNull();
  });
});
