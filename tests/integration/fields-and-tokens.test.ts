import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { authenticateToken, createApiUserWithToken, listApiTokens, revokeApiToken } from "@/lib/auth/api-tokens";
import { renameCustomFieldSchema } from "@/lib/custom-fields/custom-field-schema";
import { createCustomField, listCustomFields, renameCustomField } from "@/lib/custom-fields/custom-fields";
import { getDeferredResult } from "@/lib/imports/deferred-result";
import { rememberedMapping } from "@/lib/imports/remembered-mapping";
import { appendUploadChunk, beginUpload, finishUpload } from "@/lib/imports/upload-import";
import { beginUploadSchema } from "@/lib/imports/upload-schema";
import { parseInput } from "@/lib/invalid-payload";
import { createTestDb, DIALECTS, type TestDb } from "../support/test-db";

describe.each(DIALECTS)("fields, tokens, remembered mappings (%s)", (dialect) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(dialect);
  });
  afterAll(async () => t?.drop());

  test("a field's label can be renamed; its slug and kind cannot", async () => {
    await createCustomField(t.db, { slug: "branch", label: "Branch", kind: "text" });
    expect(await renameCustomField(t.db, { slug: "branch", label: "Workplace branch" })).toEqual({
      slug: "branch",
      label: "Workplace branch",
      kind: "text",
    });
    expect(renameCustomFieldSchema.safeParse({ slug: "branch", label: "" }).success).toBe(false);
    await expect(renameCustomField(t.db, { slug: "nope", label: "X" })).rejects.toMatchObject({ code: "not_found" });
    expect(await listCustomFields(t.db)).toEqual([{ slug: "branch", label: "Workplace branch", kind: "text" }]);
  });

  test("tokens are listed without secrets, and a revoked token stops working", async () => {
    const { token } = await createApiUserWithToken(t.db, "CRM sync");
    const listed = (await listApiTokens(t.db)).find((x) => x.name === "CRM sync")!;
    expect(listed.prefix).toBe(token.slice(0, 8));
    expect(JSON.stringify(listed)).not.toContain(token.slice(8));
    expect(await authenticateToken(t.db, token)).not.toBeNull();
    expect((await listApiTokens(t.db)).find((x) => x.id === listed.id)!.lastUsedAt).not.toBeNull();
    await revokeApiToken(t.db, listed.id);
    expect(await authenticateToken(t.db, token)).toBeNull();
    await expect(revokeApiToken(t.db, "missing")).rejects.toMatchObject({ code: "not_found" });
  });

  test("the last mapping used for the same headers is remembered", async () => {
    const columns = ["Member No", "E-mail", "Notes"];
    expect(await rememberedMapping(t.db, columns)).toBeNull();
    const uploadId = randomUUID();
    await beginUpload(t.db, "s1", parseInput(beginUploadSchema, { uploadId, fileName: "a.csv", columns, mapping: ["external_id", "skip", "email"], strategy: "reject", totalRows: 1 }));
    await appendUploadChunk(t.db, "s1", { uploadId, no: 0, rows: [["1", "x", "a@b.org"]] });
    await finishUpload(t.db, "s1", { uploadId });
    expect(await rememberedMapping(t.db, columns)).toEqual(["external_id", "skip", "email"]);
    expect(await rememberedMapping(t.db, [...columns].reverse())).toBeNull();
    expect((await getDeferredResult(t.db, uploadId, { staff: true })).status).toBe("running");
  });
});
