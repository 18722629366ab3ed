// What fuzzed requests found (issue 21), through the API's own endpoints and
// the engine, on both databases, in the contract's words: a custom field
// named like a property of every JavaScript object (`constructor`) counts in
// field_changes like any; a key longer than 255 characters is that record's
// unknown_field; a float field takes a decimal string of up to 255 characters.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { createApiUserWithToken } from "@/lib/auth/api-tokens";
import { createCustomFieldSchema } from "@/lib/custom-fields/custom-field-schema";
import { createCustomField } from "@/lib/custom-fields/custom-fields";
import { bulkUpsertEndpoint } from "@/lib/http/bulk-upsert-endpoint";
import { deferredResultEndpoint } from "@/lib/http/deferred-result-endpoint";
import type { IncomingRequest } from "@/lib/http/read-json-body";
import { rejectedRowsCsv } from "@/lib/imports/rejected-rows-csv";
import { startWorker, type WorkerHandle } from "@/lib/queue/worker";
import { getTarget } from "@/lib/targets/get-target";
import { createTestDb, DIALECTS, waitFor, type TestDb } from "../support/test-db";

type Answer = { status: number; body: Record<string, unknown> };
type Result = {
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  field_changes: Record<string, number>;
  errors: { index: number; external_id: string | null; code: string; field: string | null }[];
};

/** A POST as a client sends it: the JSON text, with its length and type. */
function post(text: string, authorization: string): IncomingRequest {
  const bytes = new TextEncoder().encode(text);
  const headers: Record<string, string> = {
    authorization,
    "content-type": "application/json",
    "content-length": String(bytes.length),
  };
  return {
    header: (name) => headers[name] ?? null,
    readDeclared: () => Promise.resolve(bytes),
    chunks: async function* () {
      yield bytes;
    },
  };
}

/** What the wire carries: the answer as JSON text, read back. */
const wire = (a: { status: number; body: unknown }): Answer => ({ status: a.status, body: JSON.parse(JSON.stringify(a.body)) });

describe.each(DIALECTS)("the contract at its edges (%s)", (dialect) => {
  let t: TestDb;
  let auth = "";
  let apiUserId = "";
  let worker: WorkerHandle | null = null;
  beforeAll(async () => {
    t = await createTestDb(dialect);
    const user = await createApiUserWithToken(t.db, "fuzz");
    auth = `Bearer ${user.token}`;
    apiUserId = user.apiUserId;
    await createCustomField(t.db, { slug: "constructor", label: "C", kind: "date" });
    await createCustomField(t.db, { slug: "branch", label: "Branch", kind: "text" });
    await createCustomField(t.db, { slug: "dues", label: "Dues", kind: "float" });
  });
  afterEach(async () => {
    await worker?.stop();
    worker = null;
  });
  afterAll(async () => t?.drop());

  // batches of 2: a job's field_changes are added up over several batches
  const run = () => (worker ??= startWorker(t.db, { id: `w-${dialect}`, pollMs: 5, log: () => {}, threads: 0, batchSize: 2, housekeeping: false }));

  /** POST /api/targets/bulk_upsert with a JSON text body. */
  const upsert = async (text: string) => wire(await bulkUpsertEndpoint(t.db, post(text, auth), null));

  /** Sends a body that must be accepted; the deferred result's `result` once it is ready. */
  async function outcome(body: unknown): Promise<Result & { dry_run: boolean }> {
    const sent = await upsert(typeof body === "string" ? body : JSON.stringify(body));
    expect(sent.status).toBe(200);
    const id = sent.body.deferred_result_id as string;
    run();
    const done = await waitFor(async () => {
      const r = wire(await deferredResultEndpoint(t.db, id, auth));
      return r.body.status === "running" ? null : r;
    }, 60_000);
    expect(done).toMatchObject({ status: 200, body: { status: "ready" } });
    return { ...(done.body.result as Result), dry_run: done.body.dry_run as boolean };
  }

  const problems = (r: Result) => r.errors.map((e) => [e.index, e.external_id, e.code, e.field]);
  /** The counts and field_changes, exactly (toMatchObject would let extra fields pass). */
  const counts = ({ total, created, updated, unchanged, rejected, field_changes, dry_run }: Result & { dry_run: boolean }) => ({
    total,
    created,
    updated,
    unchanged,
    rejected,
    field_changes,
    dry_run,
  });

  test("a custom field named constructor counts in field_changes beside the other fields, in a dry run and for real", async () => {
    const first = await outcome({
      records: [
        { external_id: "D", constructor: "2020-02-29", branch: "North" },
        { external_id: "E", constructor: "2020-01-01" },
        { external_id: "F", first_name: "Fay" },
      ],
    });
    expect(counts(first)).toEqual({ total: 3, created: 3, updated: 0, unchanged: 0, rejected: 0, field_changes: {}, dry_run: false });

    const second: { records: Record<string, unknown>[] } = {
      records: [
        { external_id: "D", constructor: "2021-03-01", branch: "South" },
        { external_id: "E", constructor: null }, // clearing is a change too
        { external_id: "F", first_name: "Fiona" },
      ],
    };
    const expected = { total: 3, created: 0, updated: 3, unchanged: 0, rejected: 0, field_changes: { constructor: 2, branch: 1, first_name: 1 } };
    expect(counts(await outcome({ ...second, dry_run: true }))).toEqual({ ...expected, dry_run: true });
    expect(counts(await outcome(second))).toEqual({ ...expected, dry_run: false });
    expect(await getTarget(t.db, "D")).toMatchObject({ constructor: "2021-03-01", branch: "South" });
    expect(await getTarget(t.db, "E")).toMatchObject({ constructor: null });

    // a record that leaves constructor alone does not count for it
    expect((await outcome({ records: [{ external_id: "D", branch: "East" }] })).field_changes).toEqual({ branch: 1 });
  });

  test("__proto__, toString, hasOwnProperty and valueOf are refused as slugs", async () => {
    for (const slug of ["__proto__", "toString", "hasOwnProperty", "valueOf"]) {
      expect(createCustomFieldSchema.safeParse({ slug, label: "X", kind: "text" }).success, slug).toBe(false);
    }
  });

  test("keys named __proto__, toString, hasOwnProperty or valueOf are their record's unknown_field; the other records are written", async () => {
    await outcome({ records: [{ external_id: "K", branch: "North" }] });
    const text =
      '{"records":[{"external_id":"K1","toString":"x"},{"external_id":"K2","hasOwnProperty":"y","valueOf":"z"},' +
      '{"external_id":"K3","__proto__":"w"},{"external_id":"K","branch":"West","first_name":"Kim"}]}';
    const result = await outcome(text);
    expect(counts(result)).toEqual({ total: 4, created: 0, updated: 1, unchanged: 0, rejected: 3, field_changes: { branch: 1, first_name: 1 }, dry_run: false });
    expect(problems(result)).toEqual([
      [0, "K1", "unknown_field", "toString"],
      [1, "K2", "unknown_field", "hasOwnProperty"],
      [1, "K2", "unknown_field", "valueOf"],
      [2, "K3", "unknown_field", "__proto__"],
    ]);
    expect(await getTarget(t.db, "K")).toMatchObject({ branch: "West", first_name: "Kim" });
    await expect(getTarget(t.db, "K1")).rejects.toMatchObject({ code: "not_found" });

    // the rejected rows, as sent: a key one record lacks is an empty cell in its row
    const id = (await t.db.prisma.importJob.findFirstOrThrow({ where: { rejected: 3 }, orderBy: { seq: "desc" } })).id;
    let csv = "";
    for await (const line of rejectedRowsCsv(t.db, id, { apiUserId })) csv += line;
    expect(csv.trim().split(/\r?\n/)).toEqual([
      "external_id,toString,hasOwnProperty,valueOf,__proto__,rejection_reason",
      'K1,x,,,,"""toString"" is neither a built-in field nor an existing custom field"',
      expect.stringMatching(/^K2,,y,z,,/),
      expect.stringMatching(/^K3,,,,w,/),
    ]);
  });

  test("a key longer than 255 characters is that record's unknown_field; the others are written", async () => {
    const long = "k".repeat(256);
    const result = await outcome({ records: [{ external_id: "A", [long]: "v" }, { external_id: "B2", first_name: "Bea" }] });
    expect(result).toMatchObject({ total: 2, created: 1, rejected: 1 });
    expect(result.errors).toEqual([
      expect.objectContaining({ index: 0, external_id: "A", code: "unknown_field", message: expect.stringMatching(/256 characters/) }),
    ]);
    // the key is named, within the bound every key keeps
    expect(result.errors[0].field!.length).toBeLessThanOrEqual(255);
    expect(result.errors[0].field!.startsWith("k".repeat(200))).toBe(true);
    expect(await getTarget(t.db, "B2")).toMatchObject({ first_name: "Bea" });
    await expect(getTarget(t.db, "A")).rejects.toMatchObject({ code: "not_found" });
    // a key of exactly 255 characters is an ordinary unknown key
    const at = await outcome({ records: [{ external_id: "A", ["k".repeat(255)]: "v" }] });
    expect(problems(at)).toEqual([[0, "A", "unknown_field", "k".repeat(255)]]);
  });

  test("a float field takes a decimal string of up to 255 characters", async () => {
    const long = `${"0".repeat(98)}1.5`; // 101 characters, refused before the contract said 255
    const at255 = `${"0".repeat(252)}2.5`;
    const over = `${"0".repeat(253)}2.5`; // 256
    const result = await outcome({
      records: [
        { external_id: "N1", dues: long },
        { external_id: "N2", dues: at255 },
        { external_id: "N3", dues: `  ${at255}  ` }, // trimmed first, as every value
        { external_id: "N4", dues: over },
      ],
    });
    expect(result).toMatchObject({ total: 4, created: 3, rejected: 1 });
    expect(problems(result)).toEqual([[3, "N4", "invalid_value", "dues"]]);
    expect(await getTarget(t.db, "N1")).toMatchObject({ dues: 1.5 });
    expect(await getTarget(t.db, "N2")).toMatchObject({ dues: 2.5 });
    expect(await getTarget(t.db, "N3")).toMatchObject({ dues: 2.5 });
  });
});
