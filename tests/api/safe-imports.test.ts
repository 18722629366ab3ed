// Safe imports through real HTTP against the built app, on both databases:
// a dry run gives the real job's result record by record and changes
// nothing; an undo and every way it is refused; erasure, proven by searching
// every text column of every table for the member's values; the OpenAPI
// document lists all of it.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createApiUserWithToken } from "@/lib/auth/api-tokens";
import { forgetExpired } from "@/lib/jobs/retention";
import { allErrors, startAppServer, waitForResult, type AppServer } from "../support/app-server";
import { searchWholeDatabase } from "../support/db-search";
import { startFixtureServer } from "../support/http-fixture";
import { DIALECTS, waitFor } from "../support/test-db";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON off the wire: the tests assert its shape
type Json = Record<string, any>;

/** What an erasure leaves: its audit entry, naming the member by number (decision 028). */
const erasureEntry = (externalId: string) => ({ table: "audit_entry", column: "subject", value: externalId });

describe.each(DIALECTS)("safe imports over HTTP (%s)", (dialect) => {
  let app: AppServer;
  let srv: Awaited<ReturnType<typeof startFixtureServer>>;
  beforeAll(async () => {
    srv = await startFixtureServer({
      "/members.csv": (_q, res) =>
        res.end("external_id,first_name,email,ward\nERASE-Zq81,Zebediah,zebediah.quill@example.org,Xylomarsh Ward\nKEEP-1,Keeper,keeper@example.org,Other Ward\n"),
      "/no-id.csv": (_q, res) => res.end("email\nx@example.org\n"),
      "/preview.csv": (_q, res) =>
        res.end("external_id,first_name,email,branch\nC1,Cleo,c1@example.org,Mill\nC2,Cy,c1@example.org,\nS2,,,Dock\nC3,Col,not-an-email,\n"),
    });
    app = await startAppServer(dialect, { CSV_URL_ALLOWED_HOSTS: "127.0.0.1" });
    for (const slug of ["branch", "ward"]) {
      const r = await app.api("/api/custom_fields", { method: "POST", json: { slug, label: slug, kind: "text" } });
      expect(r.status).toBe(201);
    }
  });
  afterAll(async () => {
    await app?.stop();
    await srv?.close();
  });

  const upsert = async (body: Json): Promise<string> => {
    const r = await app.api("/api/targets/bulk_upsert", { method: "POST", json: body });
    expect(r.status).toBe(200);
    return (await r.json()).deferred_result_id;
  };
  const revert = (id: string, init: RequestInit & { json?: unknown } = {}) =>
    app.api(`/api/deferred_results/${id}/revert`, { method: "POST", ...init });
  /** The stored targets, without what only says when (an undo writes updated_at anew) or who wrote them. */
  const targets = async () =>
    (await app.t.db.sql.all("SELECT * FROM target ORDER BY external_id")).map((row) => without(row, ["updated_at", "last_job_seq"]));
  const without = (o: Json, keys: string[]) => Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));

  const seed = [
    { external_id: "S1", first_name: "Sam", email: "s1@example.org", phone_number: "07565000101" },
    { external_id: "S2", email: "s2@example.org" },
    { external_id: "S3", email: "s3@example.org", phone_number: "07565000103" },
  ];
  const records = [
    { external_id: "N1", email: "n1@example.org", branch: "East" }, // created
    { external_id: "S1", email: "S1new@example.org", phone_number: null }, // email and phone change
    { external_id: "S2", email: " s2@EXAMPLE.org " }, // unchanged
    { external_id: "N2", email: "s3@example.org" }, // conflict with a stored member
    { external_id: "N3", email: "nope" }, // invalid_email
    { external_id: "N4", colour: "red" }, // unknown_field
    { external_id: "N1", first_name: "Nina" }, // updates what this job created
    { external_id: "N5", email: "n1@example.org" }, // conflict with a record earlier in the job
    { external_id: "S3", first_name: "", branch: "West" }, // clearing what is empty changes nothing; branch does
    { external_id: "S1", first_name: "Samuel" },
    ...Array.from({ length: 120 }, (_, i) => ({ external_id: `BAD${i}`, phone_number: "12" })), // errors past one page
  ];
  let real: Json;
  let dry: Json;

  test("a dry run changes nothing, and the same job for real then gives the same result, record by record", async () => {
    expect((await waitForResult(app, await upsert({ records: seed }))).result.created).toBe(3);
    const before = await targets();
    const changesBefore = await app.t.db.prisma.importChange.count();

    dry = await waitForResult(app, await upsert({ records, dry_run: true }));
    expect(dry).toMatchObject({ status: "ready", dry_run: true, revertible: false, reverted_by: null });
    expect(await targets()).toEqual(before);
    expect(await app.t.db.prisma.importChange.count()).toBe(changesBefore);
    await waitFor(async () => (await app.t.db.prisma.dryRunTarget.count()) === 0); // dropped once the engine is idle

    real = await waitForResult(app, await upsert({ records }));
    expect(real).toMatchObject({ status: "ready", dry_run: false, revertible: true, reverted_by: null });
    const dryCounts = without(dry.result, ["errors", "errors_next"]);
    const realCounts = without(real.result, ["errors", "errors_next"]);
    expect(dryCounts).toEqual(realCounts);
    expect(realCounts).toEqual({
      total: 130,
      created: 1,
      updated: 4,
      unchanged: 1,
      rejected: 124,
      conflicts_ignored: 0,
      field_changes: { email: 1, phone_number: 1, first_name: 2, branch: 1 },
    });
    const dryErrors = await allErrors(app, dry);
    expect(dryErrors).toHaveLength(124);
    expect(dryErrors).toEqual(await allErrors(app, real));
    expect(dryErrors.slice(0, 4)).toEqual([
      expect.objectContaining({ index: 3, external_id: "N2", code: "conflict", conflicting_external_ids: ["S3"] }),
      expect.objectContaining({ index: 4, code: "invalid_email" }),
      expect.objectContaining({ index: 5, code: "unknown_field" }),
      expect.objectContaining({ index: 7, external_id: "N5", code: "conflict", conflicting_external_ids: ["N1"] }),
    ]);
    expect(await targets()).not.toEqual(before);
  });

  test("a dry run of a CSV by URL gives the real job's result, rows and all, and writes nothing", async () => {
    const before = await targets();
    const preview = await waitForResult(app, await upsert({ csv_url: srv.url("/preview.csv"), dry_run: true }));
    expect(preview).toMatchObject({ status: "ready", dry_run: true, source: "csv_url" });
    expect(await targets()).toEqual(before);
    const real = await waitForResult(app, await upsert({ csv_url: srv.url("/preview.csv") }));
    expect(without(preview.result, ["errors_next"])).toEqual(without(real.result, ["errors_next"]));
    expect(real.result).toMatchObject({ total: 4, created: 1, updated: 1, rejected: 2, field_changes: { branch: 1 } });
    expect(real.result.errors).toEqual([
      expect.objectContaining({ row: 2, external_id: "C2", code: "conflict", conflicting_external_ids: ["C1"] }),
      expect.objectContaining({ row: 4, external_id: "C3", code: "invalid_email" }),
    ]);
    // put back as it was, for the tests after this one
    expect((await waitForResult(app, (await (await revert(real.id)).json()).deferred_result_id)).result).toMatchObject({ deleted: 1, restored: 1 });
  });

  test("undo: 200 with the undo's id, the same id when asked again, and the stored members as before the job", async () => {
    const r = await revert(real.id);
    expect(r.status).toBe(200);
    const { deferred_result_id: undoId } = await r.json();
    expect(typeof undoId).toBe("string");
    const again = await revert(real.id, { json: {} });
    expect(again.status).toBe(200);
    expect((await again.json()).deferred_result_id).toBe(undoId);

    const undo = await waitForResult(app, undoId);
    expect(undo).toMatchObject({
      id: undoId,
      status: "ready",
      source: "revert",
      reverts: real.id,
      dry_run: false,
      progress: { processed: 3, total: 3 },
      error: null,
      result: { total: 3, deleted: 1, restored: 2, skipped: 0, errors: [], errors_next: null },
    });
    expect(Object.keys(undo.result).sort()).toEqual(["deleted", "errors", "errors_next", "restored", "skipped", "total"]);
    const original = await (await app.api(`/api/deferred_results/${real.id}`)).json();
    expect(original.reverted_by).toBe(undoId);
    // N1 gone, S1 and S3 as they were; the rest never changed
    expect((await app.api("/api/targets/N1")).status).toBe(404);
    expect(await (await app.api("/api/targets/S1")).json()).toMatchObject({ first_name: "Sam", email: "s1@example.org", phone_number: "+447565000101" });
    expect(await (await app.api("/api/targets/S3")).json()).toMatchObject({ first_name: null, branch: null });
    expect(await app.t.db.prisma.importJob.count({ where: { reverts: real.id } })).toBe(1);
  });

  test("undo refused: 409 not_revertible for a dry run, an undo, a failed job and one past retention; 404 for others' and unknown jobs", async () => {
    const refused = async (id: string, why: RegExp) => {
      const r = await revert(id);
      expect(r.status).toBe(409);
      const { error } = await r.json();
      expect(error).toMatchObject({ code: "not_revertible", message: expect.stringMatching(why) });
    };
    await refused(dry.id, /dry run/);
    await refused(real.reverted_by ?? (await (await app.api(`/api/deferred_results/${real.id}`)).json()).reverted_by, /undo cannot itself/);
    const failed = await waitForResult(app, await upsert({ csv_url: srv.url("/no-id.csv") }));
    expect(failed.status).toBe("failed");
    expect(failed.revertible).toBe(false);
    await refused(failed.id, /failed/);

    const old = await waitForResult(app, await upsert({ records: [{ external_id: "OLD1", first_name: "Old" }] }));
    await app.t.db.prisma.importJob.update({ where: { id: old.id }, data: { finishedAt: new Date(Date.now() - 40 * 86_400_000) } });
    expect((await forgetExpired(app.t.db.sql, { retentionDays: 30, uploadExpiryHours: 6 })).purged).toBe(1);
    const expired = await (await app.api(`/api/deferred_results/${old.id}`)).json();
    expect(expired).toMatchObject({ revertible: false, details_expired_at: expect.any(String), result: { created: 1 } });
    await refused(old.id, /retention period.*can no longer be undone/);

    const other = await createApiUserWithToken(app.t.db, "another client");
    const theirs = await revert(real.id, { headers: { authorization: `Bearer ${other.token}` } });
    expect(theirs.status).toBe(404);
    expect((await theirs.json()).error.code).toBe("not_found");
    const unknown = await revert("no-such-id");
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error.code).toBe("not_found");
    // it takes no options
    const withOptions = await revert(old.id, { json: { force: true } });
    expect(withOptions.status).toBe(400);
    expect((await withOptions.json()).error.code).toBe("invalid_payload");
    const notJson = await revert(old.id, { body: "please", headers: { "content-type": "text/plain" } });
    expect(notJson.status).toBe(415);
    const huge = await revert(old.id, { json: { pad: "x".repeat(100_000) } });
    expect(huge.status).toBe(413);
    expect(await app.t.db.prisma.importJob.count({ where: { reverts: old.id } })).toBe(0);
  });

  test("erasure: 204 then 404, and none of the member's values is left anywhere in the database", async () => {
    const member = {
      external_id: "ERASE-Zq81",
      first_name: "Zebediah",
      last_name: "Quillfeather",
      email: "zebediah.quill@example.org",
      phone_number: "07565111222",
      ward: "Xylomarsh Ward",
    };
    const values = [member.external_id, member.first_name, member.last_name, member.email, member.phone_number, "+447565111222", member.ward];
    // created, with a problem of its own in the same job
    const created = await waitForResult(app, await upsert({ records: [member, { external_id: member.external_id, email: "zebediah-at-nowhere" }] }));
    expect(created.result).toMatchObject({ created: 1, rejected: 1 });
    // updated: a before-image of every value
    const updated = await waitForResult(app, await upsert({ records: [{ external_id: member.external_id, last_name: "Quillfeather-Smythe" }] }));
    expect(updated.result.updated).toBe(1);
    // a dry run and a CSV by URL that hold it, and an undo that names it (changed since)
    await waitForResult(app, await upsert({ records: [{ ...member, first_name: "Zeb" }], dry_run: true }));
    const csv = await waitForResult(app, await upsert({ csv_url: srv.url("/members.csv") }));
    expect(csv.result).toMatchObject({ created: 1, updated: 0, unchanged: 1 });
    const undo = await waitForResult(app, (await (await revert(created.id)).json()).deferred_result_id);
    expect(undo.result.errors).toEqual([expect.objectContaining({ external_id: member.external_id, code: "changed_since" })]);

    const before = await searchWholeDatabase(app.t.db, values);
    const where = new Set(before.map((h) => `${h.table}.${h.column}`));
    for (const place of ["target.external_id", "target.email", "import_chunk.rows", "import_chunk.packed", "import_error.external_id", "import_error.message", "import_change.entries"]) {
      expect(where, `before erasure, ${place} holds the member`).toContain(place);
    }

    const r = await app.api(`/api/targets/${member.external_id}`, { method: "DELETE" });
    expect(r.status).toBe(204);
    expect(await r.text()).toBe("");
    expect((await app.api(`/api/targets/${member.external_id}`)).status).toBe(404);
    const again = await app.api(`/api/targets/${member.external_id}`, { method: "DELETE" });
    expect(again.status).toBe(404);
    expect((await again.json()).error.code).toBe("not_found");

    // the audit log keeps the number of whom it erased, and nothing else of theirs (decision 028)
    expect(await searchWholeDatabase(app.t.db, values)).toEqual([erasureEntry(member.external_id)]);
    // the others' data stays
    expect((await searchWholeDatabase(app.t.db, ["keeper@example.org"])).map((h) => h.table).sort()).toEqual(["import_chunk", "target"]);
    // the results that named the member still add up, without naming it
    const after = await (await app.api(`/api/deferred_results/${created.id}`)).json();
    expect(after.result).toMatchObject({ created: 1, rejected: 1 });
    expect(after.result.errors).toEqual([expect.objectContaining({ index: 1, external_id: null, code: "invalid_email" })]);
  });

  test("erasure finds the member in a body that escaped its id (\\u00e9, \\/ as PHP writes)", async () => {
    const body = '{"records":[{"external_id":"ORG\\/Jos\\u00e9-77","email":"jose.escaped@example.org","last_name":"Esc\\u00e1pado"}]}';
    const r = await app.api("/api/targets/bulk_upsert", { method: "POST", body, headers: { "content-type": "application/json" } });
    expect((await waitForResult(app, (await r.json()).deferred_result_id)).result.created).toBe(1);
    // with the members search's folded copies of the name and id, and the import's note of whom it wrote
    const values = ["jose.escaped@example.org", "Esc\\u00e1pado", "Escápado", "ORG/José-77", "escapado", "org/jose-77"];
    expect(new Set((await searchWholeDatabase(app.t.db, values)).map((h) => h.table))).toEqual(new Set(["import_change", "import_chunk", "target", "target_change"]));
    expect((await app.api(`/api/targets/${encodeURIComponent("ORG/José-77")}`, { method: "DELETE" })).status).toBe(204);
    expect(await searchWholeDatabase(app.t.db, values)).toEqual([erasureEntry("ORG/José-77")]);
  });

  test("erasure finds the member however the body escaped it: \\u in ids, emails and names (as Go and .NET write), and an id sent as 7.391482e6", async () => {
    const send = async (body: string): Promise<Json> => {
      const r = await app.api("/api/targets/bulk_upsert", { method: "POST", body, headers: { "content-type": "application/json" } });
      expect(r.status).toBe(200);
      return waitForResult(app, (await r.json()).deferred_result_id);
    };
    // created, with a problem of its own, and a conflict of another's that names it (on the phone
    // number: that record's own copy of it is the other's data, and stays)
    const created = await send(
      '{"records":[{"external_id":"\\u0045RASE1","email":"\\u0065rase@example.org","first_name":"\\u0053i\\u00e2n","last_name":"Ap\\/Rh\\u0079s",' +
        '"phone_number":"0756\\u0035111333"},{"external_id":"\\u0045RASE1","email":"not an email"},{"external_id":"OTHER-E1","phone_number":"+447565111333"}]}',
    );
    expect(created.result).toMatchObject({ created: 1, rejected: 2 });
    // updated by a body that escapes other characters of the id: a before-image of every value
    expect((await send('{"records":[{"external_id":"ERAS\\u0045\\u0031","last_name":"Ap Rhys"}]}')).result.updated).toBe(1);
    // an integer id written as no one would search for it
    expect((await send('{"records":[{"external_id":7.391482e6,"email":"num\\u0065ric@example.org","first_name":"Num\\u0061 Pompilius"}]}')).result.created).toBe(1);

    const values = ["ERASE1", "erase@example.org", "Siân", "Ap/Rhys", "Ap Rhys", "7391482", "numeric@example.org", "Numa Pompilius"];
    const before = await searchWholeDatabase(app.t.db, values);
    expect(new Set(before.map((h) => h.table))).toEqual(new Set(["target", "target_change", "import_chunk", "import_change", "import_error"]));
    // the search reads the bodies behind their escapes
    expect([...new Set(before.filter((h) => h.column === "packed").map((h) => h.value))].sort()).toEqual(
      ["ERASE1", "erase@example.org", "Siân", "Ap/Rhys", "Ap Rhys", "numeric@example.org", "Numa Pompilius"].sort(),
    );
    for (const id of ["ERASE1", "7391482"]) expect((await app.api(`/api/targets/${id}`, { method: "DELETE" })).status).toBe(204);
    expect((await searchWholeDatabase(app.t.db, values)).sort((a, b) => a.value.localeCompare(b.value))).toEqual([erasureEntry("7391482"), erasureEntry("ERASE1")]);
  });

  test("the OpenAPI document covers undo, erasure, dry runs, field_changes and the undo's result", async () => {
    const doc = await (await app.api("/api/openapi.json")).json();
    const revertOp = doc.paths["/api/deferred_results/{id}/revert"]?.post;
    expect(revertOp).toBeDefined();
    expect(Object.keys(revertOp.responses).sort()).toEqual(["200", "400", "401", "404", "409", "413", "415"]);
    expect(revertOp.responses["409"].description).toMatch(/not_revertible/);
    expect(revertOp.responses["409"].description).not.toMatch(/idempotency_key_reused/);
    const erase = doc.paths["/api/targets/{external_id}"]?.delete;
    expect(Object.keys(erase.responses).sort()).toEqual(["204", "401", "404"]);
    const s = doc.components.schemas;
    expect(s.BulkUpsertRequest.properties.dry_run).toMatchObject({ type: "boolean", default: false });
    expect(Object.keys(s.DeferredResult.properties)).toEqual(expect.arrayContaining(["dry_run", "reverts", "reverted_by", "revertible", "result"]));
    expect(s.DeferredResult.properties.source.enum).toContain("revert");
    expect(s.ImportResult.properties.field_changes).toMatchObject({ type: "object", additionalProperties: { type: "integer" } });
    expect(s.ImportResult.required).toContain("field_changes");
    expect(s.RevertResult.required.sort()).toEqual(["deleted", "errors", "errors_next", "restored", "skipped", "total"]);
    expect(s.RevertEntry.properties.code.enum).toEqual(["changed_since", "conflict"]);
    expect(s.Error.properties.error.properties.code.enum).toContain("not_revertible");
  });
});
