// Admin uploads through the shared pipeline: begin/append/finish are
// idempotent, the mapping is checked, rows merge with CSV rules, and the
// rejected-rows download gives back the file's own columns.
import { randomUUID } from "node:crypto";
import Papa from "papaparse";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { getDeferredResult, importResultOf } from "@/lib/imports/deferred-result";
import { rejectedRowsCsv } from "@/lib/imports/rejected-rows-csv";
import { appendUploadChunk, beginUpload, finishUpload } from "@/lib/imports/upload-import";
import { beginUploadSchema } from "@/lib/imports/upload-schema";
import { parseInput } from "@/lib/invalid-payload";
import { getTarget } from "@/lib/targets/get-target";
import { dbWithEngine, settledResult } from "../support/engine-db";
import { createTestDb, DIALECTS, type TestDb } from "../support/test-db";

const COLUMNS = ["Member No", "Forename", "E-mail", "Notes", "Score"];
const MAPPING = ["external_id", "first_name", "email", "skip", "score"];

describe.each(DIALECTS)("uploads (%s)", (dialect) => {
  const t = dbWithEngine(dialect, {}, (t) => t.db.prisma.customField.create({ data: { slug: "score", label: "Score", kind: "float" } }));
  const ready = (id: string) => settledResult(t.db, id);

  test("a re-sent form, retried pieces and a double finish make one import", async () => {
    const uploadId = randomUUID();
    const rows = [
      ["U1", "Ann", "ann@example.org", "keep", "1.5"],
      ["U2", "Bob", "not-an-email", "", "2"],
      ["U1", "", "", "", ""], // empty cells change nothing
      ["U3", "=cmd()", "ann@example.org", "", "x"],
    ];
    const begin = { uploadId, fileName: "members.csv", columns: COLUMNS, mapping: MAPPING, strategy: "reject", totalRows: 4 };
    await beginUpload(t.db, "staff-1", parseInput(beginUploadSchema, begin));
    await beginUpload(t.db, "staff-1", parseInput(beginUploadSchema, begin));
    await appendUploadChunk(t.db, "staff-1", { uploadId, no: 0, rows });
    await appendUploadChunk(t.db, "staff-1", { uploadId, no: 0, rows });
    // not accepted yet: invisible, not merged
    await expect(getDeferredResult(t.db, uploadId, { staff: true })).rejects.toMatchObject({ code: "not_found" });
    await Promise.all([finishUpload(t.db, "staff-1", { uploadId }), finishUpload(t.db, "staff-1", { uploadId })]);
    const r = await ready(uploadId);
    expect(r.source).toBe("upload");
    expect(r.result).toMatchObject({ total: 4, created: 1, unchanged: 1, rejected: 2 });
    expect(importResultOf(r).errors.map((e) => [e.row, e.code, e.field])).toEqual([
      [2, "invalid_email", "email"],
      [4, "invalid_value", "score"],
    ]);
    expect(await t.db.prisma.importJob.count({ where: { source: "upload" } })).toBe(1);
    expect(await getTarget(t.db, "U1")).toMatchObject({ first_name: "Ann", email: "ann@example.org", score: 1.5 });

    let csv = "";
    for await (const s of rejectedRowsCsv(t.db, uploadId, { staff: true })) csv += s;
    const table = Papa.parse<string[]>(csv.trim()).data;
    expect(table[0]).toEqual([...COLUMNS, "rejection_reason"]);
    expect(table.slice(1).map((r) => r.slice(0, 5))).toEqual([
      ["U2", "Bob", "not-an-email", "", "2"],
      ["U3", "'=cmd()", "ann@example.org", "", "x"],
    ]);
  });

  test("the mapping must name external_id once and only existing fields", async () => {
    const base = { fileName: "f.csv", columns: ["a", "b"], strategy: "reject", totalRows: 1 };
    for (const mapping of [["skip", "email"], ["external_id", "external_id"], ["external_id", "shoe_size"]]) {
      await expect(beginUpload(t.db, "staff-1", parseInput(beginUploadSchema, { ...base, uploadId: randomUUID(), mapping }))).rejects.toMatchObject({
        code: "invalid_payload",
      });
    }
  });

  test("finish refuses an upload with missing pieces; other staff cannot touch it", async () => {
    const uploadId = randomUUID();
    const PIECE = 2000;
    const totalRows = PIECE + 1;
    await beginUpload(t.db, "staff-1", parseInput(beginUploadSchema, { uploadId, fileName: "big.csv", columns: ["id"], mapping: ["external_id"], strategy: "ignore", totalRows }));
    await appendUploadChunk(t.db, "staff-1", { uploadId, no: 1, rows: [["X"]] });
    await expect(finishUpload(t.db, "staff-1", { uploadId })).rejects.toMatchObject({ code: "invalid_payload" });
    await expect(appendUploadChunk(t.db, "staff-2", { uploadId, no: 0, rows: [["Y"]] })).rejects.toMatchObject({ code: "not_found" });
    await appendUploadChunk(t.db, "staff-1", {
      uploadId,
      no: 0,
      rows: Array.from({ length: PIECE }, (_, i) => [`BIG${i}`]),
    });
    await finishUpload(t.db, "staff-1", { uploadId });
    expect((await ready(uploadId)).result).toMatchObject({ total: totalRows, created: totalRows });
  });
});

describe.each(DIALECTS)("upload bounds (%s)", (dialect) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(dialect);
  });
  afterAll(async () => t?.drop());
  const limits = { openUploads: 3, maxChars: 200, expiryHours: 6 };
  const upload = (id: string, mapping = ["external_id", "first_name"]) => ({
    id,
    staffUserId: "staff-b",
    fileName: "b.csv",
    columns: ["Member", "Name"],
    mapping,
    strategy: "reject" as const,
    totalRows: 100,
  });

  test("a retry with other settings is refused, not silently given the old ones", async () => {
    const { beginUpload: begin } = await import("@/lib/jobs/accept-upload");
    const id = randomUUID();
    await begin(t.db.sql, upload(id), limits);
    await begin(t.db.sql, upload(id), limits); // the same form again: fine
    await expect(begin(t.db.sql, upload(id, ["external_id", "skip"]), limits)).rejects.toMatchObject({ code: "upload_changed" });
    await expect(begin(t.db.sql, { ...upload(id), strategy: "ignore" }, limits)).rejects.toMatchObject({ code: "upload_changed" });
  });

  test("one staff member may keep only a few unfinished uploads", async () => {
    const { beginUpload: begin } = await import("@/lib/jobs/accept-upload");
    await begin(t.db.sql, upload(randomUUID()), limits);
    await begin(t.db.sql, upload(randomUUID()), limits);
    await expect(begin(t.db.sql, upload(randomUUID()), limits)).rejects.toMatchObject({ code: "limit_reached" });
  });

  test("an upload cannot stage more than its size limit; a refused piece leaves nothing", async () => {
    const { stageUploadPiece } = await import("@/lib/jobs/accept-upload");
    await t.db.prisma.importJob.deleteMany({ where: { staffUserId: "staff-b" } });
    const { beginUpload: begin } = await import("@/lib/jobs/accept-upload");
    const id = randomUUID();
    await begin(t.db.sql, upload(id), limits);
    const rows = (n: number, from: number) => Array.from({ length: n }, (_, i) => [`M${from + i}`, "Name"]);
    await stageUploadPiece(t.db.sql, { id, staffUserId: "staff-b", no: 0, rows: rows(5, 0) }, limits);
    await stageUploadPiece(t.db.sql, { id, staffUserId: "staff-b", no: 0, rows: rows(5, 0) }, limits); // a repeat costs nothing
    await expect(stageUploadPiece(t.db.sql, { id, staffUserId: "staff-b", no: 1, rows: rows(10, 5) }, limits)).rejects.toMatchObject({
      code: "payload_too_large",
    });
    expect(await t.db.prisma.importChunk.count({ where: { jobId: id } })).toBe(1);
  });
});
