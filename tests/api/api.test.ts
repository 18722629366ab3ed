// The REST API through real HTTP against the built app (`npm start`'s own
// script), on both databases: every status code and error code of the contract.
import { execFile } from "node:child_process";
import http from "node:http";
import { gunzipSync } from "node:zlib";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createApiUserWithToken } from "@/lib/auth/api-tokens";
import { startAppServer, waitForResult, type AppServer } from "../support/app-server";
import { startFixtureServer } from "../support/http-fixture";
import { DIALECTS } from "../support/test-db";

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "../..");

describe.each(DIALECTS)("REST API (%s)", (dialect) => {
  let app: AppServer;
  beforeAll(async () => {
    app = await startAppServer(dialect);
  });
  afterAll(async () => app?.stop());

  const jobCount = () => app.t.db.prisma.importJob.count();
  const upsert = (json: unknown, headers: Record<string, string> = {}) =>
    app.api("/api/targets/bulk_upsert", { method: "POST", json, headers });

  test("health needs no token", async () => {
    const r = await app.api("/api/health", { auth: false });
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ status: "ok" });
  });

  test.each([
    ["GET", "/api/custom_fields"],
    ["POST", "/api/targets/bulk_upsert"],
    ["GET", "/api/deferred_results/x"],
    ["GET", "/api/deferred_results/x/errors"],
    ["GET", "/api/targets/M1"],
    ["GET", "/api/openapi.json"],
    ["GET", "/api/no/such/route"],
  ])("%s %s without a valid token is 401 unauthorized", async (method, path) => {
    for (const authorization of [undefined, "Bearer nope", "Basic abc", `Bearer ${app.token}x`]) {
      const headers: Record<string, string> = authorization ? { authorization } : {};
      const r = await app.api(path, { method, auth: false, headers });
      expect(r.status).toBe(401);
      const body = await r.json();
      expect(body.error.code).toBe("unauthorized");
      expect(typeof body.error.message).toBe("string");
    }
  });

  test("an unknown /api path with a token is 404 not_found", async () => {
    const r = await app.api("/api/no/such/route");
    expect(r.status).toBe(404);
    expect((await r.json()).error.code).toBe("not_found");
  });

  test("bulk upsert: 200 with a deferred result id, ready with the contract's result", async () => {
    const r = await upsert({
      records: [
        { external_id: "MemNo1", first_name: "Ann", email: " Ann@Example.org ", phone_number: "07565000000" },
        { external_id: "MemNo2", email: "ann@example.org" },
        { external_id: 3, email: "bad@", phone_number: "12" },
        { external_id: "MemNo1", last_name: "Lee" },
      ],
    });
    expect(r.status).toBe(200);
    const { deferred_result_id } = await r.json();
    expect(typeof deferred_result_id).toBe("string");
    const result = await waitForResult(app, deferred_result_id);
    expect(result).toMatchObject({
      id: deferred_result_id,
      status: "ready",
      conflict_strategy: "reject",
      source: "records",
      progress: { processed: 4, total: 4 },
      error: null,
      result: { total: 4, created: 1, updated: 1, unchanged: 0, rejected: 2, conflicts_ignored: 0, errors_next: null },
    });
    for (const k of ["created_at", "started_at", "finished_at"]) expect(Date.parse(result[k])).not.toBeNaN();
    expect(result.result.errors).toEqual([
      {
        index: 1,
        external_id: "MemNo2",
        code: "conflict",
        field: "email",
        message: expect.any(String),
        conflicting_external_ids: ["MemNo1"],
      },
      { index: 2, external_id: "3", code: "invalid_email", field: "email", message: expect.any(String) },
      { index: 2, external_id: "3", code: "invalid_phone_number", field: "phone_number", message: expect.any(String) },
    ]);
    const target = await (await app.api("/api/targets/MemNo1")).json();
    expect(target).toMatchObject({
      external_id: "MemNo1",
      first_name: "Ann",
      last_name: "Lee",
      email: "ann@example.org",
      phone_number: "+447565000000",
      subscription_email: null,
    });
    expect(Date.parse(target.updated_at)).not.toBeNaN();
  });

  test("ignore imports the colliding record and says so", async () => {
    const r = await upsert({ conflict_strategy: "ignore", records: [{ external_id: "MemNo9", email: "ANN@example.org" }] });
    const result = await waitForResult(app, (await r.json()).deferred_result_id);
    expect(result.result).toMatchObject({ created: 1, rejected: 0, conflicts_ignored: 1 });
    expect(result.result.errors[0]).toMatchObject({ code: "conflict_ignored", field: "email", conflicting_external_ids: ["MemNo1"] });
  });

  test.each([
    ["a body that is not JSON", "{not json", ""],
    ["an array body", [], ""],
    ["both records and csv_url", { records: [{ external_id: "a" }], csv_url: "https://example.org/x.csv" }, ""],
    ["neither records nor csv_url", { conflict_strategy: "reject" }, ""],
    ["records not an array", { records: { external_id: "a" } }, "records"],
    ["records empty", { records: [] }, "records"],
    ["a record that is not an object", { records: [{ external_id: "a" }, "b"] }, "records[1]"],
    ["a missing external_id", { records: [{ external_id: "a" }, { email: "x@y.org" }] }, "records[1].external_id"],
    ["an external_id empty after trimming", { records: [{ external_id: "   " }] }, "records[0].external_id"],
    ["an external_id over 255 characters", { records: [{ external_id: "x".repeat(256) }] }, "records[0].external_id"],
    ["an external_id that is a float", { records: [{ external_id: 1.5 }] }, "records[0].external_id"],
    ["an external_id that is a boolean", { records: [{ external_id: true }] }, "records[0].external_id"],
    ["an attribute that is an object", { records: [{ external_id: "a", first_name: { x: 1 } }] }, "records[0].first_name"],
    ["an attribute that is an array", { records: [{ external_id: "a", email: ["x@y.org"] }] }, "records[0].email"],
    ["a bad conflict_strategy", { records: [{ external_id: "a" }], conflict_strategy: "merge" }, "conflict_strategy"],
    ["an unknown top-level key", { records: [{ external_id: "a" }], dryRun: true }, "dryRun"],
    ["a csv_url that is not http(s)", { csv_url: "ftp://example.org/x.csv" }, "csv_url"],
    ["a relative csv_url", { csv_url: "/x.csv" }, "csv_url"],
  ])("400 invalid_payload for %s, naming the place, storing nothing", async (_name, body, path) => {
    const before = await jobCount();
    const r = await app.api("/api/targets/bulk_upsert", {
      method: "POST",
      body: typeof body === "string" ? body : JSON.stringify(body),
      headers: { "content-type": "application/json" },
    });
    expect(r.status).toBe(400);
    const { error } = await r.json();
    expect(error.code).toBe("invalid_payload");
    expect(error.message.length).toBeGreaterThan(0);
    expect(Array.isArray(error.details)).toBe(true);
    if (path) expect(error.details.map((d: { path: string }) => d.path)).toContain(path);
    expect(await jobCount()).toBe(before);
  });

  test("413 too_many_records over 1000, with the limit; exactly 1000 is accepted", async () => {
    const before = await jobCount();
    const records = Array.from({ length: 1001 }, (_, i) => ({ external_id: `T${i}` }));
    const r = await upsert({ records });
    expect(r.status).toBe(413);
    const { error } = await r.json();
    expect(error).toMatchObject({ code: "too_many_records", limit: 1000 });
    expect(await jobCount()).toBe(before);
    const ok = await upsert({ records: records.slice(0, 1000) });
    expect(ok.status).toBe(200);
    const started = Date.now();
    const result = await waitForResult(app, (await ok.json()).deferred_result_id);
    console.log(`[${dialect}] 1,000-record request ready ${Date.now() - started} ms after the 200`);
    expect(result.result.created).toBe(1000);
  });

  test("413 payload_too_large over 10 MB, answered without storing", async () => {
    const before = await jobCount();
    const big = JSON.stringify({ records: [{ external_id: "a", first_name: "x".repeat(11 * 1024 * 1024) }] });
    const r = await app.api("/api/targets/bulk_upsert", { method: "POST", body: big, headers: { "content-type": "application/json" } });
    expect(r.status).toBe(413);
    expect((await r.json()).error.code).toBe("payload_too_large");
    expect(await jobCount()).toBe(before);
  });

  test("415 unsupported_media_type when the body is not sent as JSON", async () => {
    const before = await jobCount();
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "text/csv"]) {
      const r = await app.api("/api/targets/bulk_upsert", {
        method: "POST",
        body: JSON.stringify({ records: [{ external_id: "a" }] }),
        headers: { "content-type": type },
      });
      expect(r.status).toBe(415);
      expect((await r.json()).error.code).toBe("unsupported_media_type");
    }
    expect(await jobCount()).toBe(before);
  });

  test("Idempotency-Key: a repeat returns the same job; another body is 409", async () => {
    const body = { records: [{ external_id: "IDEM1", first_name: "Once" }] };
    const key = { "idempotency-key": `k-${dialect}-1` };
    const before = await jobCount();
    const [a, b] = await Promise.all([upsert(body, key), upsert(body, key)]);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    const idA = (await a.json()).deferred_result_id;
    expect((await b.json()).deferred_result_id).toBe(idA);
    expect(await jobCount()).toBe(before + 1);
    const c = await upsert({ records: [{ external_id: "IDEM1", first_name: "Twice" }] }, key);
    expect(c.status).toBe(409);
    expect((await c.json()).error.code).toBe("idempotency_key_reused");
    expect(await jobCount()).toBe(before + 1);
  });

  test("a deferred result is visible only to the API user who asked", async () => {
    const r = await upsert({ records: [{ external_id: "MINE1" }] });
    const id = (await r.json()).deferred_result_id;
    const other = await createApiUserWithToken(app.t.db, "other client");
    const theirs = await app.api(`/api/deferred_results/${id}`, { headers: { authorization: `Bearer ${other.token}` } });
    expect(theirs.status).toBe(404);
    expect((await theirs.json()).error.code).toBe("not_found");
    const errorsTheirs = await app.api(`/api/deferred_results/${id}/errors`, { headers: { authorization: `Bearer ${other.token}` } });
    expect(errorsTheirs.status).toBe(404);
    expect((await app.api("/api/deferred_results/no-such-id")).status).toBe(404);
    expect((await app.api(`/api/deferred_results/${id}`)).status).toBe(200);
  });

  test("errors beyond 100 are paged through errors_next", async () => {
    const seed = await upsert({ records: Array.from({ length: 250 }, (_, i) => ({ external_id: `P${i}`, email: `p${i}@example.org` })) });
    await waitForResult(app, (await seed.json()).deferred_result_id);
    const r = await upsert({ records: Array.from({ length: 250 }, (_, i) => ({ external_id: `Q${i}`, email: `p${i}@example.org` })) });
    const result = await waitForResult(app, (await r.json()).deferred_result_id);
    expect(result.result.rejected).toBe(250);
    expect(result.result.errors).toHaveLength(100);
    const seen = [...result.result.errors];
    let next = result.result.errors_next;
    while (next) {
      const page = await (await app.api(next)).json();
      seen.push(...page.errors);
      next = page.errors_next;
    }
    expect(seen.map((e) => e.index)).toEqual(Array.from({ length: 250 }, (_, i) => i));
    expect(seen.every((e) => e.code === "conflict")).toBe(true);
  });

  test("a deferred result: the same JSON gzipped for a client that accepts it, plain for one that does not, with the API's security headers", async () => {
    const r = await upsert({ records: Array.from({ length: 120 }, (_, i) => ({ external_id: `Z${i}`, email: "not an email" })) });
    const id = (await r.json()).deferred_result_id;
    await waitForResult(app, id);
    const raw = (acceptEncoding?: string) =>
      new Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
        const headers: Record<string, string> = { authorization: `Bearer ${app.token}` };
        if (acceptEncoding) headers["accept-encoding"] = acceptEncoding;
        http
          .get(`${app.baseUrl}/api/deferred_results/${id}`, { headers }, (res) => {
            const parts: Buffer[] = [];
            res.on("data", (c: Buffer) => parts.push(c));
            res.on("end", () => resolve({ headers: res.headers, body: Buffer.concat(parts) }));
          })
          .on("error", reject);
      });
    const plain = await raw();
    const zipped = await raw("gzip, deflate, br");
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(zipped.headers["content-encoding"]).toBe("gzip");
    expect(zipped.body.byteLength).toBeLessThan(plain.body.byteLength / 3);
    const result = JSON.parse(plain.body.toString());
    expect(result.result.rejected).toBe(120);
    expect(JSON.parse(gunzipSync(zipped.body).toString())).toEqual(result);
    for (const answer of [plain, zipped]) {
      expect(answer.headers["content-type"]).toMatch(/^application\/json/);
      expect(answer.headers["x-content-type-options"]).toBe("nosniff");
      expect(answer.headers["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
    }
  });

  test("custom fields: list, create (201), refuse duplicates and bad slugs, upsert and read values", async () => {
    const create = (json: unknown) => app.api("/api/custom_fields", { method: "POST", json });
    expect((await create({ slug: "branch", label: "Branch", kind: "text" })).status).toBe(201);
    expect((await create({ slug: "dues", label: "Dues", kind: "float" })).status).toBe(201);
    expect((await create({ slug: "joined", label: "Joined", kind: "date" })).status).toBe(201);
    const dup = await create({ slug: "branch", label: "Again", kind: "text" });
    expect(dup.status).toBe(409);
    for (const bad of [
      { slug: "Branch", label: "x", kind: "text" },
      { slug: "1abc", label: "x", kind: "text" },
      { slug: "email", label: "x", kind: "text" },
      { slug: "ok_slug", label: "x", kind: "number" },
      { slug: "ok_slug", label: "", kind: "text" },
    ]) {
      const r = await create(bad);
      expect(r.status).toBe(400);
      expect((await r.json()).error.code).toBe("invalid_payload");
    }
    const list = await (await app.api("/api/custom_fields")).json();
    expect(list.custom_fields).toEqual(
      expect.arrayContaining([
        { slug: "branch", label: "Branch", kind: "text" },
        { slug: "dues", label: "Dues", kind: "float" },
        { slug: "joined", label: "Joined", kind: "date" },
      ]),
    );
    const r = await upsert({
      records: [
        { external_id: "CF1", branch: " North ", dues: "12.50", joined: "2024-02-29" },
        { external_id: "CF2", dues: "twelve", joined: "2023-02-29", shoe_size: 9 },
      ],
    });
    const result = await waitForResult(app, (await r.json()).deferred_result_id);
    expect(result.result.errors.map((e: { code: string; field: string }) => [e.code, e.field])).toEqual([
      ["invalid_value", "dues"],
      ["invalid_value", "joined"],
      ["unknown_field", "shoe_size"],
    ]);
    const t = await (await app.api("/api/targets/CF1")).json();
    expect(t).toMatchObject({ branch: "North", dues: 12.5, joined: "2024-02-29" });
    const cleared = await upsert({ records: [{ external_id: "CF1", branch: null, dues: "" }] });
    await waitForResult(app, (await cleared.json()).deferred_result_id);
    expect(await (await app.api("/api/targets/CF1")).json()).toMatchObject({ branch: null, dues: null, joined: "2024-02-29" });
  });

  test("a key named __proto__ or constructor is an unknown field of its record, on the way through the engine too", async () => {
    const records = JSON.parse('[{"external_id":"Proto1","first_name":"Pia","__proto__":"x"},{"external_id":"Proto2","constructor":"y"}]');
    const r = await upsert({ records });
    expect(r.status).toBe(200);
    const result = await waitForResult(app, (await r.json()).deferred_result_id);
    expect(result.result).toMatchObject({ total: 2, created: 0, rejected: 2 });
    expect(result.result.errors.map((e: { external_id: string; code: string; field: string }) => [e.external_id, e.code, e.field])).toEqual([
      ["Proto1", "unknown_field", "__proto__"],
      ["Proto2", "unknown_field", "constructor"],
    ]);
    expect((await app.api("/api/targets/Proto1")).status).toBe(404);
  });

  test("an unknown target is 404", async () => {
    const r = await app.api("/api/targets/nobody-here");
    expect(r.status).toBe(404);
    expect((await r.json()).error.code).toBe("not_found");
  });

  test("GET /api/targets lists targets in external_id order, searched and paged by its next path", async () => {
    const records = [
      { external_id: "L-1", first_name: "Siân", last_name: "Lister", phone_number: "07400 111222" },
      { external_id: "L-2", first_name: "Sian", last_name: "Lister" },
      { external_id: "L-3", first_name: "Dewi", last_name: "Lister", email: "SIANI@example.org" },
      { external_id: "L-4", first_name: "Bob", last_name: "Other" },
    ];
    const r = await upsert({ records });
    expect((await waitForResult(app, (await r.json()).deferred_result_id)).status).toBe("ready");
    const found = await app.api("/api/targets?q=sian&limit=2");
    expect(found.status).toBe(200);
    expect(found.headers.get("cache-control")).toContain("no-store");
    const first = await found.json();
    expect(first.targets.map((t: { external_id: string }) => t.external_id)).toEqual(["L-1", "L-2"]);
    expect(first.targets[0]).toEqual(await (await app.api("/api/targets/L-1")).json());
    const second = await (await app.api(first.next)).json();
    expect(second).toEqual({ targets: [expect.objectContaining({ external_id: "L-3", email: "siani@example.org" })], next: null });
    const byPhone = await (await app.api(`/api/targets?q=${encodeURIComponent("+44 7400 111222")}`)).json();
    expect(byPhone.targets.map((t: { external_id: string }) => t.external_id)).toEqual(["L-1"]);
    for (const bad of ["limit=0", "limit=101", "limit=abc", "cursor=bm9wZQ", "sort=name", "q=" + "x".repeat(101), "q=%00", "q=a&q=b"]) {
      const res = await app.api(`/api/targets?${bad}`);
      expect(res.status, bad).toBe(400);
      expect((await res.json()).error.code, bad).toBe("invalid_payload");
    }
    expect((await app.api("/api/targets", { auth: false })).status).toBe(401);
  });

  test("a csv_url at a loopback address fails the job with csv_refused_address", async () => {
    const srv = await startFixtureServer({ "/x.csv": (_q, res) => res.end("external_id\nZ1\n") });
    try {
      const r = await upsert({ csv_url: srv.url("/x.csv") });
      expect(r.status).toBe(200);
      const result = await waitForResult(app, (await r.json()).deferred_result_id);
      expect(result).toMatchObject({ status: "failed", source: "csv_url", error: { code: "csv_refused_address" } });
      expect(result.result).toBeUndefined();
    } finally {
      await srv.close();
    }
  });

  test("the OpenAPI document is served from the zod schemas", async () => {
    const doc = await (await app.api("/api/openapi.json")).json();
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(["/api/targets/bulk_upsert", "/api/deferred_results/{id}", "/api/custom_fields"]),
    );
    const body = doc.components.schemas.BulkUpsertRequest;
    expect(body.properties.conflict_strategy.enum).toEqual(["reject", "ignore"]);
    expect(body.properties.records.maxItems).toBe(1000);
    expect(doc.components.schemas.DeferredResult.properties.status.enum).toEqual(["running", "ready", "failed", "cancelled"]);
  });

  test("token:create prints only a working token", async () => {
    const { stdout } = await run("npm", ["run", "--silent", "token:create", "--", "--name", "CLI client"], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: app.t.url },
    });
    expect(stdout).toMatch(/^ti_[A-Za-z0-9_-]{43}\n$/);
    const r = await app.api("/api/custom_fields", { headers: { authorization: `Bearer ${stdout.trim()}` } });
    expect(r.status).toBe(200);
  });

  test("a revoked token stops working at once", async () => {
    const { token, apiUserId } = await createApiUserWithToken(app.t.db, "to revoke");
    const headers = { authorization: `Bearer ${token}` };
    expect((await app.api("/api/custom_fields", { headers })).status).toBe(200);
    await app.t.db.prisma.apiToken.updateMany({ where: { userId: apiUserId }, data: { revokedAt: new Date() } });
    expect((await app.api("/api/custom_fields", { headers })).status).toBe(401);
  });
});
