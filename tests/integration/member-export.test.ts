// The members export on both databases: 10,000 members of every kind of value,
// written through the import pipeline, come out as the CSV the contract
// describes, and that file imported back (by URL, and as an upload with the
// columns the wizard matches) changes nothing. A large export keeps the heap flat.
import { randomUUID } from "node:crypto";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { restoreCell } from "@/lib/csv/csv-line";
import { readCsv } from "@/lib/csv/parse-csv";
import { BUILTIN_KEYS } from "@/lib/fields";
import { importResultOf } from "@/lib/imports/deferred-result";
import { submitImport } from "@/lib/imports/submit-import";
import { appendUploadChunk, beginUpload, finishUpload } from "@/lib/imports/upload-import";
import { beginUploadSchema } from "@/lib/imports/upload-schema";
import { parseInput } from "@/lib/invalid-payload";
import { exportMembersCsv } from "@/lib/targets/export-members-csv";
import { memberQuerySchema, type MemberQueryInput } from "@/lib/targets/member-query";
import { blankTarget } from "@/lib/targets/target-state";
import { writeTargets } from "@/lib/targets/target-store";
import { autoMap } from "@/lib/upload/auto-map";
import { dbWithEngine, settledResult } from "../support/engine-db";
import { startFixtureServer } from "../support/http-fixture";
import { createTestDb, DIALECTS, type TestDb } from "../support/test-db";

const MEMBERS = 10_000;
const SLUGS = ["branch", "joined", "score"]; // the header lists custom fields by slug, in slug order
const HEADER = [...BUILTIN_KEYS, ...SLUGS];

// Every kind of value, cycled through so that each member mixes them differently.
const FIRST = ["Siân", "Łukasz", "=SUM(A1:A9)", "@mention", "-minus", "+plus sign", "'=already quoted", "0042", 'Ann "Nan", Jr', "Zoë\nsecond line", undefined];
const LAST = ["Ñúñez", "O'Brien", "-", "Smith", undefined, "  padded  "];
const BRANCH = ["000123", '=HYPERLINK("http://x")', "@branch", "-12", "Łódź", undefined, "\t tab first"];
const SCORE = [1.5, -2.25, 0, 1e21, 0.1, -1e-7, 12345.678, undefined];
const FLAG = [true, false, undefined];

function externalId(i: number): string {
  switch (i % 1000) {
    case 7:
      return `=ID${i}`;
    case 8:
      return `@ID${i}`;
    case 9:
      return `-ID${i}`;
    case 10:
      return `Siân${i}`;
    default:
      return String(i).padStart(6, "0"); // leading zeros: 000123
  }
}

/** Member i as sent to the upsert (absent keys: no value). */
function record(i: number): Record<string, unknown> {
  const r: Record<string, unknown> = {
    external_id: externalId(i),
    first_name: FIRST[i % FIRST.length],
    last_name: LAST[i % LAST.length],
    email: i % 4 === 0 ? undefined : `Member${i}@Example.org`,
    phone_number: i % 5 === 0 ? undefined : `07400 ${100000 + i}`,
    subscription_email: FLAG[i % 3],
    subscription_sms: i % 2 === 0,
    subscription_phone: i % 7 === 0 ? false : undefined,
    subscription_whatsapp: FLAG[(i >> 1) % 3],
    branch: BRANCH[i % BRANCH.length],
    joined: i % 3 === 0 ? undefined : `20${String(i % 25).padStart(2, "0")}-0${1 + (i % 9)}-1${i % 9}`,
    score: SCORE[i % SCORE.length],
  };
  return Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined));
}

/** Member i's row as the export must write it (before neutralising): the values as stored. */
function expectedRow(i: number): string[] {
  const r = record(i);
  const text = (v: unknown) => (v === undefined ? "" : typeof v === "string" ? v.trim() : String(v));
  return HEADER.map((key) => {
    if (key === "email") return text(r.email).toLowerCase();
    if (key === "phone_number") return r.phone_number === undefined ? "" : `+447400${100000 + i}`;
    return text(r[key]);
  });
}

async function collect(chunks: AsyncIterable<string>): Promise<string> {
  let text = "";
  for await (const c of chunks) text += c;
  return text;
}

/** The file read back by the server's own CSV reader (the wizard's too): its header and rows as written. */
async function readBack(csv: string): Promise<{ header: string[]; rows: string[][] }> {
  let header: string[] = [];
  const rows: string[][] = [];
  async function* bytes() {
    yield new TextEncoder().encode(csv);
  }
  await readCsv(bytes(), { onHeader: (h) => void (header = h), onRows: async (batch) => void rows.push(...batch) });
  return { header, rows };
}

const exportOf = (db: TestDb["db"], input: MemberQueryInput = {}) => collect(exportMembersCsv(db, memberQuerySchema.parse(input)));

describe.each(DIALECTS)("members export (%s)", (dialect) => {
  let srv: Awaited<ReturnType<typeof startFixtureServer>>;
  let csv = "";
  beforeAll(async () => {
    srv = await startFixtureServer({ "/members.csv": (_q, res) => res.end(csv) });
  });
  afterAll(async () => srv?.close());
  const csvOptions = { allowedHosts: ["127.0.0.1"], timeoutMs: 30_000, maxBytes: 100_000_000 };
  const t = dbWithEngine(dialect, { run: { csv: csvOptions } }, (t) =>
    t.db.prisma.customField.createMany({
      data: [
        { slug: "branch", label: "Branch", kind: "text" },
        { slug: "joined", label: "Joined", kind: "date" },
        { slug: "score", label: "Score", kind: "float" },
      ],
    }),
  );

  test("10,000 members written by imports come out as written, and the file imported back changes nothing", { timeout: 180_000 }, async () => {
    const ids: string[] = [];
    for (let start = 0; start < MEMBERS; start += 1000) {
      const records = Array.from({ length: 1000 }, (_, k) => record(start + k));
      ids.push((await submitImport(t.db, { source: "records", strategy: "reject", records })).id);
    }
    let created = 0;
    for (const id of ids) {
      const r = await settledResult(t.db, id, 60_000);
      expect(r.result).toMatchObject({ rejected: 0 });
      created += importResultOf(r).created;
    }
    expect(created).toBe(MEMBERS);

    csv = await exportOf(t.db);
    expect(csv.startsWith(`\uFEFF${HEADER.join(",")}\r\n`)).toBe(true);
    expect(csv.split("\r\n")).toHaveLength(MEMBERS + 2); // header, rows, and the empty rest after the last CRLF
    expect(csv).toContain(",'=SUM(A1:A9),"); // a formula is neutralised in the file …
    expect(csv).toContain(",+447400100001,"); // … a phone number in E.164 is not
    expect(csv).toContain('"Ann ""Nan"", Jr"');

    const { header, rows } = await readBack(csv);
    expect(header).toEqual(HEADER);
    expect(rows).toHaveLength(MEMBERS);
    const byId = new Map(rows.map((cells) => [restoreCell(cells[0]), cells.map(restoreCell)]));
    for (let i = 0; i < MEMBERS; i++) expect(byId.get(externalId(i)), externalId(i)).toEqual(expectedRow(i));

    const byUrl = await submitImport(t.db, { source: "csv_url", csvUrl: srv.url("/members.csv"), strategy: "reject" });
    const again = await settledResult(t.db, byUrl.id, 120_000);
    expect(again.error).toBeNull();
    expect(again.result).toMatchObject({ total: MEMBERS, created: 0, updated: 0, rejected: 0, unchanged: MEMBERS });
    expect(importResultOf(again).errors).toEqual([]);

    // an upload of the same file, with the columns the wizard matches
    const mapping = autoMap(header, SLUGS);
    expect(mapping).toEqual(HEADER);
    const uploadId = randomUUID();
    const begin = { uploadId, fileName: "members.csv", columns: header, mapping, strategy: "reject", totalRows: rows.length };
    await beginUpload(t.db, "staff-1", parseInput(beginUploadSchema, begin));
    for (let no = 0; no * 2000 < rows.length; no++) await appendUploadChunk(t.db, "staff-1", { uploadId, no, rows: rows.slice(no * 2000, (no + 1) * 2000) });
    await finishUpload(t.db, "staff-1", { uploadId });
    const uploaded = await settledResult(t.db, uploadId, 120_000);
    expect(uploaded.result).toMatchObject({ total: MEMBERS, created: 0, updated: 0, rejected: 0, unchanged: MEMBERS });

    expect(await exportOf(t.db)).toBe(csv); // nothing the imports did shows in the file
  });

  test("the file holds what the search finds, in its order; a bad filter throws before any text", async () => {
    // Siân by first name (every 11th member) or by id; the list's page size does not narrow the file
    const sian = Array.from({ length: MEMBERS }, (_, i) => i).filter((i) => i % FIRST.length === 0 || i % 1000 === 10);
    const found = await readBack(await exportOf(t.db, { q: "sian", sort: "external_id", dir: "desc", limit: 1 }));
    expect(found.rows.map((r) => restoreCell(r[0]))).toEqual(sian.map(externalId).sort().reverse());
    const chunks = exportMembersCsv(t.db, memberQuerySchema.parse({ custom: { slug: "no_such_field", eq: "x" } }));
    await expect(chunks.next()).rejects.toMatchObject({ code: "invalid_payload" });
    const none = await exportOf(t.db, { q: "nobody-is-called-this" });
    expect(none).toBe(`\uFEFF${HEADER.join(",")}\r\n`);
  });
});

describe.each(DIALECTS)("a large members export (%s)", (dialect) => {
  const ROWS = 100_000;
  const NOTE = "x".repeat(240);
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(dialect);
    await t.db.prisma.customField.createMany({
      data: [
        { slug: "note_a", label: "Note A", kind: "text" },
        { slug: "note_b", label: "Note B", kind: "text" },
      ],
    });
    for (let start = 0; start < ROWS; start += 5000) {
      const batch = Array.from({ length: 5000 }, (_, k) => {
        const m = blankTarget(`L${String(start + k).padStart(7, "0")}`);
        m.attrs.first_name = "Firstname";
        m.attrs.last_name = "Lastname";
        m.attrs.email = `large${start + k}@example.org`;
        m.attrs.subscription_email = true;
        m.custom = { note_a: `${NOTE}${start + k}`, note_b: `${NOTE}${start + k}` };
        return m;
      });
      await t.db.sql.tx((q) => writeTargets(q, batch, new Date(), 1, { created: true }));
    }
  }, 120_000);
  afterAll(async () => t?.drop());

  test("streams 100,000 members (over 50 MB of text) with the heap held under 40 MB", { timeout: 90_000 }, async () => {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    gc();
    const before = process.memoryUsage();
    let heapPeak = 0;
    let rssPeak = 0;
    let chars = 0;
    let lines = 0;
    let n = 0;
    let longest = 0;
    for await (const chunk of exportMembersCsv(t.db, memberQuerySchema.parse({}))) {
      chars += chunk.length;
      longest = Math.max(longest, chunk.length);
      for (let at = chunk.indexOf("\r\n"); at >= 0; at = chunk.indexOf("\r\n", at + 2)) lines++;
      if (++n % 10 === 0) {
        gc(); // what the export holds on to, not garbage not yet collected
        const now = process.memoryUsage();
        heapPeak = Math.max(heapPeak, now.heapUsed - before.heapUsed);
        rssPeak = Math.max(rssPeak, now.rss - before.rss);
      }
    }
    expect(lines).toBe(ROWS + 1);
    expect(chars).toBeGreaterThan(50 * 1024 * 1024); // holding the file would break the bound below
    expect(heapPeak).toBeLessThan(40 * 1024 * 1024);
    expect(rssPeak).toBeLessThan(100 * 1024 * 1024);
    // no chunk is a large object (V8: over 128 KB, two bytes a character once
    // an accent is in it), which only a full collection frees: without the
    // forced ones above, pages of those piled up to ~100 MB at a million members
    expect(longest).toBeLessThan(32 * 1024);
  });
});
