// The audit log on both databases: each audited action wired in lib/ writes
// exactly one entry, with its actor and address, and none when nothing
// changed (a retry, a second undo, a member not there); an erasure's entry
// names the member by number only; the log reads newest first by actor,
// action and dates a page at a time; its CSV is itself audited; retention
// purges old entries.
import { randomUUID } from "node:crypto";
import { describe, expect, test } from "vitest";
import { apiActor, staffActor, type AuditBy } from "@/lib/audit/audit-actor";
import { exportAuditCsv } from "@/lib/audit/export-audit-csv";
import { listAudit } from "@/lib/audit/list-audit";
import { purgeAudit } from "@/lib/audit/purge-audit";
import { createApiUserWithToken, revokeApiToken } from "@/lib/auth/api-tokens";
import { createCustomField, renameCustomField } from "@/lib/custom-fields/custom-fields";
import { setFilterable } from "@/lib/custom-fields/filter-indexes";
import { bulkUpsertEndpoint } from "@/lib/http/bulk-upsert-endpoint";
import type { IncomingRequest } from "@/lib/http/read-json-body";
import { requestRevert } from "@/lib/imports/revert-import";
import { appendUploadChunk, beginUpload, finishUpload, startPreviewedImport } from "@/lib/imports/upload-import";
import { beginUploadSchema } from "@/lib/imports/upload-schema";
import { parseInput } from "@/lib/invalid-payload";
import { deleteSavedMapping } from "@/lib/saved-mappings/delete-saved-mapping";
import { renameSavedMapping } from "@/lib/saved-mappings/rename-saved-mapping";
import { saveMapping } from "@/lib/saved-mappings/save-mapping";
import { eraseTarget } from "@/lib/targets/erase-target";
import { exportMembersCsv } from "@/lib/targets/export-members-csv";
import { memberQuerySchema } from "@/lib/targets/member-query";
import { readyResult } from "../support/engine-db";
import { dbWithEngine } from "../support/engine-db";
import { DIALECTS } from "../support/test-db";

const ADMIN = { id: "staff-admin", email: "admin@example.org", role: "admin" as const };
const byAdmin: AuditBy = { actor: staffActor(ADMIN), address: "203.0.113.7" };

/** A bulk upsert as the front server hands it over. */
function post(body: unknown, authorization: string, key?: string): IncomingRequest {
  const bytes = new TextEncoder().encode(JSON.stringify(body));
  const headers: Record<string, string> = { authorization, "content-type": "application/json", "content-length": String(bytes.length) };
  if (key) headers["idempotency-key"] = key;
  return {
    header: (name) => headers[name] ?? null,
    readDeclared: () => Promise.resolve(bytes),
    chunks: async function* () {
      yield bytes;
    },
  };
}

describe.each(DIALECTS)("audit log (%s)", (dialect) => {
  const t = dbWithEngine(dialect, {}, async (t) => {
    await t.db.prisma.staffUser.create({ data: { id: ADMIN.id, name: "Admin", email: ADMIN.email, role: ADMIN.role } });
  });

  const rows = () => t.db.prisma.auditEntry.findMany({ orderBy: { id: "asc" } });
  /** What `act` wrote to the log: the entries added while it ran. */
  async function written(act: () => Promise<unknown>) {
    const before = (await t.db.prisma.auditEntry.aggregate({ _max: { id: true } }))._max.id ?? 0;
    await act();
    return t.db.prisma.auditEntry.findMany({ where: { id: { gt: before } }, orderBy: { id: "asc" } });
  }
  const detailOf = (r: { detail: string | null }) => (r.detail ? JSON.parse(r.detail) : null);

  async function upload(rows: string[][], dryRun: boolean): Promise<string> {
    const uploadId = randomUUID();
    const begin = { uploadId, fileName: "members.csv", columns: ["No", "Email"], mapping: ["external_id", "email"], strategy: "reject", totalRows: rows.length, dryRun };
    await beginUpload(t.db, ADMIN.id, parseInput(beginUploadSchema, begin));
    await appendUploadChunk(t.db, ADMIN.id, { uploadId, no: 0, rows });
    return uploadId;
  }

  test("API jobs: an import and a dry run each write one entry by the token's name, from the client's address; a retry none", async () => {
    const api = await createApiUserWithToken(t.db, "Membership system");
    const auth = `Bearer ${api.token}`;
    const records = [{ external_id: "A1", email: "a1@example.org" }, { external_id: "A2" }];
    const [imported] = await written(async () => {
      const a = await bulkUpsertEndpoint(t.db, post({ records }, auth, "k1"), "198.51.100.4");
      expect(a.status).toBe(200);
      // the same request again: the same job, no second entry
      expect(await bulkUpsertEndpoint(t.db, post({ records }, auth, "k1"), "198.51.100.4")).toEqual(a);
    }).then((r) => (expect(r).toHaveLength(1), r));
    expect(imported).toMatchObject({
      actorType: "api",
      actorId: api.apiUserId,
      actorName: "Membership system",
      address: "198.51.100.4",
      action: "import_started",
      subjectType: "job",
    });
    expect(detailOf(imported)).toEqual({ source: "records", strategy: "reject", records: 2 });
    // nothing of the records themselves
    expect(JSON.stringify(imported)).not.toContain("a1@example.org");

    const dry = await written(() => bulkUpsertEndpoint(t.db, post({ records, dry_run: true }, auth), "198.51.100.4"));
    expect(dry).toHaveLength(1);
    expect(dry[0]).toMatchObject({ action: "dry_run_started", actorName: "Membership system" });

    // many at once through the group commit: one entry each
    const many = await written(() => Promise.all(Array.from({ length: 12 }, (_, i) => bulkUpsertEndpoint(t.db, post({ records: [{ external_id: `G${i}` }] }, auth), null))));
    expect(many).toHaveLength(12);
    expect(new Set(many.map((r) => r.subject)).size).toBe(12);
    await readyResult(t.db, imported.subject!);
  });

  test("uploads: a preview, its start and a plain import write one entry each, by the staff user, without the file's rows", async () => {
    const previewId = await upload([["U1", "u1@example.org"]], true);
    const preview = await written(() => finishUpload(t.db, ADMIN.id, { uploadId: previewId }, byAdmin));
    expect(preview).toHaveLength(1);
    expect(preview[0]).toMatchObject({ actorType: "staff", actorId: ADMIN.id, actorName: ADMIN.email, address: "203.0.113.7", action: "preview", subject: previewId });
    expect(detailOf(preview[0])).toEqual({ source: "upload", file: "members.csv", rows: 1, strategy: "reject" });
    await readyResult(t.db, previewId);

    // two clicks on Start: one import, one entry
    const started = await written(() =>
      Promise.all([startPreviewedImport(t.db, ADMIN.id, { previewId }, byAdmin), startPreviewedImport(t.db, ADMIN.id, { previewId }, byAdmin)]),
    );
    expect(started).toHaveLength(1);
    expect(started[0]).toMatchObject({ action: "import_started", actorName: ADMIN.email });
    expect(detailOf(started[0])).toMatchObject({ preview: previewId, rows: 1 });

    const importId = await upload([["U2", "u2@example.org"]], false);
    const imported = await written(() => Promise.all([finishUpload(t.db, ADMIN.id, { uploadId: importId }, byAdmin), finishUpload(t.db, ADMIN.id, { uploadId: importId }, byAdmin)]));
    expect(imported.map((r) => [r.action, r.subject])).toEqual([["import_started", importId]]);
    expect(JSON.stringify(imported)).not.toContain("u2@example.org");
    await readyResult(t.db, importId);

    // its undo: one entry, on the job undone; asked again, none
    const undo = await written(async () => {
      await requestRevert(t.db, importId, { staff: true }, ADMIN.id, byAdmin);
      await requestRevert(t.db, importId, { staff: true }, ADMIN.id, byAdmin);
    });
    expect(undo).toHaveLength(1);
    expect(undo[0]).toMatchObject({ action: "undo", subjectType: "job", subject: importId, actorName: ADMIN.email });
  });

  test("an undo asked through the API is the API user's", async () => {
    const api = await createApiUserWithToken(t.db, "CRM");
    const a = await bulkUpsertEndpoint(t.db, post({ records: [{ external_id: "R1" }] }, `Bearer ${api.token}`), null);
    const jobId = (a.body as { deferred_result_id: string }).deferred_result_id;
    await readyResult(t.db, jobId);
    const undo = await written(() => requestRevert(t.db, jobId, { apiUserId: api.apiUserId }, undefined, { actor: apiActor({ id: api.apiUserId, name: "CRM" }), address: "192.0.2.1" }));
    expect(undo).toHaveLength(1);
    expect(undo[0]).toMatchObject({ action: "undo", actorType: "api", actorName: "CRM", address: "192.0.2.1", subject: jobId });
  });

  test("an erasure's entry holds the member number and nothing else of theirs; a member not there writes none", async () => {
    const api = await createApiUserWithToken(t.db, "Erasure source");
    const member = { external_id: "E-77", first_name: "Siân", last_name: "Evans-Erasable", email: "sian.erasable@example.org", phone_number: "+447400123456" };
    const a = await bulkUpsertEndpoint(t.db, post({ records: [member] }, `Bearer ${api.token}`), null);
    expect(await readyResult(t.db, (a.body as { deferred_result_id: string }).deferred_result_id)).toMatchObject({ result: { created: 1 } });

    const erased = await written(() => eraseTarget(t.db, "E-77", byAdmin));
    expect(erased).toHaveLength(1);
    expect(erased[0]).toMatchObject({ action: "member_erased", subjectType: "member", subject: "E-77", detail: null, actorName: ADMIN.email });
    // nothing in the whole log names them but by number
    const log = JSON.stringify(await rows());
    for (const v of ["Siân", "Evans-Erasable", "sian.erasable", "7400123456"]) expect(log).not.toContain(v);

    expect(await written(() => eraseTarget(t.db, "E-77", byAdmin).catch(() => {}))).toEqual([]);
  });

  test("a members export writes one entry when it ends: the search and the row count; one left part-way, the rows taken", async () => {
    const api = await createApiUserWithToken(t.db, "Exporter");
    const records = Array.from({ length: 1_500 }, (_, i) => ({ external_id: `X${String(i).padStart(4, "0")}`, first_name: "Export" }));
    const a = await bulkUpsertEndpoint(t.db, post({ records: records.slice(0, 1000) }, `Bearer ${api.token}`), null);
    const b = await bulkUpsertEndpoint(t.db, post({ records: records.slice(1000) }, `Bearer ${api.token}`), null);
    for (const r of [a, b]) await readyResult(t.db, (r.body as { deferred_result_id: string }).deferred_result_id);

    const query = memberQuerySchema.parse({ q: "Export", flags: { subscription_email: "unknown" }, sort: "name" });
    const whole = await written(async () => {
      for await (const chunk of exportMembersCsv(t.db, query, byAdmin)) void chunk;
    });
    expect(whole).toHaveLength(1);
    expect(whole[0]).toMatchObject({ action: "members_exported", actorName: ADMIN.email, address: "203.0.113.7" });
    expect(detailOf(whole[0])).toEqual({ search: "q=Export&email=unknown&sort=name", rows: 1_500, complete: true });

    // the client takes the first chunk of text, asks for the next and goes away
    // (csvDownload returns the generator): the rows of the chunk it took
    let taken = "";
    const left = await written(async () => {
      const file = exportMembersCsv(t.db, memberQuerySchema.parse({ q: "Export" }), byAdmin);
      taken = (await file.next()).value ?? "";
      await file.next();
      await file.return(undefined);
    });
    const rowsTaken = taken.split("\r\n").length - 2; // less the header and the empty rest after the last CRLF
    expect(rowsTaken).toBeGreaterThan(0);
    expect(rowsTaken).toBeLessThan(1_500);
    expect(left).toHaveLength(1);
    expect(detailOf(left[0])).toEqual({ search: "q=Export", rows: rowsTaken, complete: false });

    // a bad filter is refused before the file starts: nothing was exported
    const refused = await written(() => exportMembersCsv(t.db, memberQuerySchema.parse({ custom: { slug: "no_such_field", eq: "x" } }), byAdmin).next().catch(() => {}));
    expect(refused).toEqual([]);
  });

  test("tokens, custom fields and saved mappings: one entry per change, none for a change that changes nothing", async () => {
    const created = await written(() => createApiUserWithToken(t.db, "Door system", byAdmin));
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ action: "token_created", subjectType: "token", actorName: ADMIN.email });
    expect(detailOf(created[0])).toEqual({ name: "Door system" });
    const tokenId = created[0].subject!;
    const revoked = await written(async () => {
      await revokeApiToken(t.db, tokenId, byAdmin);
      await revokeApiToken(t.db, tokenId, byAdmin); // already revoked
    });
    expect(revoked.map((r) => [r.action, r.subject, detailOf(r).name])).toEqual([["token_revoked", tokenId, "Door system"]]);

    const fields = await written(async () => {
      await createCustomField(t.db, { slug: "audited", label: "Audited", kind: "text" }, byAdmin);
      await renameCustomField(t.db, { slug: "audited", label: "Audited field" }, byAdmin);
      await setFilterable(t.db, "audited", true, byAdmin);
      await setFilterable(t.db, "audited", true, byAdmin); // no change
    });
    expect(fields.map((r) => [r.action, r.subject, detailOf(r)])).toEqual([
      ["field_created", "audited", { label: "Audited", kind: "text" }],
      ["field_changed", "audited", { label: "Audited field" }],
      ["field_changed", "audited", { filterable: true }],
    ]);

    const mappings = await written(async () => {
      const m = await saveMapping(t.db, ADMIN, { name: "Branch list", columns: [{ column: "No", field: "external_id" }], formats: {} }, byAdmin);
      await renameSavedMapping(t.db, ADMIN, { id: m.id, name: "Branch list 2" }, byAdmin);
      await deleteSavedMapping(t.db, ADMIN, { id: m.id }, byAdmin);
    });
    expect(mappings.map((r) => [r.action, detailOf(r)])).toEqual([
      ["mapping_created", { name: "Branch list" }],
      ["mapping_renamed", { name: "Branch list 2", from: "Branch list" }],
      ["mapping_deleted", { name: "Branch list 2" }],
    ]);
    expect(new Set(mappings.map((r) => `${r.actorId} ${r.address} ${r.subjectType}`))).toEqual(new Set([`${ADMIN.id} 203.0.113.7 mapping`]));
  });

  test("the log reads newest first, by actor, action and dates, a page at a time; its CSV is audited", async () => {
    const all = await rows();
    const mine = all.filter((r) => r.actorId === ADMIN.id).reverse();
    const page1 = await listAudit(t.db, { actor: ADMIN.id }, 3);
    expect(page1.entries.map((e) => e.id)).toEqual(mine.slice(0, 3).map((r) => r.id));
    const page2 = await listAudit(t.db, { actor: ADMIN.id, cursor: page1.next! }, 3);
    expect(page2.entries.map((e) => e.id)).toEqual(mine.slice(3, 6).map((r) => r.id));

    const undos = await listAudit(t.db, { action: "undo" });
    expect(undos.entries.map((e) => e.action)).toEqual(["undo", "undo"]);
    expect(undos.next).toBeNull();
    const today = new Date().toISOString().slice(0, 10);
    expect((await listAudit(t.db, { from: today, to: today }, 1_000)).entries).toHaveLength(all.length);
    expect((await listAudit(t.db, { to: "2020-01-01" })).entries).toEqual([]);

    let text = "";
    const exported = await written(async () => {
      for await (const chunk of exportAuditCsv(t.db, { action: "undo" }, byAdmin)) text += chunk;
    });
    expect(text.trim().split("\r\n")).toHaveLength(3);
    expect(exported).toHaveLength(1);
    expect(exported[0]).toMatchObject({ action: "audit_exported", actorName: ADMIN.email });
    expect(detailOf(exported[0])).toEqual({ filters: "action=undo", rows: 2, complete: true });
  });

  test("retention deletes entries older than the days kept, in batches, and keeps the rest", async () => {
    const old = (days: number) => new Date(Date.now() - days * 86_400_000);
    const kept = await t.db.prisma.auditEntry.count();
    for (const days of [401, 402, 500, 900, 1000]) {
      await t.db.prisma.auditEntry.create({ data: { at: old(days), actorType: "system", actorName: "system", action: "sign_in" } });
    }
    await t.db.prisma.auditEntry.create({ data: { at: old(399), actorType: "system", actorName: "system", action: "sign_in" } });
    expect(await purgeAudit(t.db.sql, 400, 2)).toBe(5);
    expect(await t.db.prisma.auditEntry.count()).toBe(kept + 1);
    expect(await t.db.prisma.auditEntry.count({ where: { at: { lt: old(400) } } })).toBe(0);
  });
});
