// POST /api/deferred_results/<id>/cancel through real HTTP against the built
// app, on both databases: 200 with the deferred result (cancelled, result
// and error null) and 200 again; 409 not_cancellable for a ready job and an
// undo; 404 for an unknown id and another API user's job; a body other than
// {} refused; the cancelled job's records never stored; its audit entry
// names the API user; the OpenAPI document lists the route and its 409.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createApiUserWithToken } from "@/lib/auth/api-tokens";
import { startAppServer, waitForResult, type AppServer } from "../support/app-server";
import { DIALECTS } from "../support/test-db";

describe.each(DIALECTS)("cancel over HTTP (%s)", (dialect) => {
  let app: AppServer;
  beforeAll(async () => {
    // small batches: a job of a thousand records merges for a while
    app = await startAppServer(dialect, { ENGINE_BATCH_SIZE: "10" });
  });
  afterAll(async () => app?.stop());

  const upsert = async (records: Record<string, unknown>[]): Promise<string> => {
    const r = await app.api("/api/targets/bulk_upsert", { method: "POST", json: { records } });
    expect(r.status).toBe(200);
    return (await r.json()).deferred_result_id;
  };
  const cancel = (id: string, init: RequestInit & { json?: unknown; auth?: boolean } = {}) =>
    app.api(`/api/deferred_results/${id}/cancel`, { method: "POST", ...init });
  const many = (p: string) => Array.from({ length: 1000 }, (_, i) => ({ external_id: `${p}-${i}`, first_name: "Cal" }));

  test("a merging job: 200 cancelled (result and error null), then 200 again; none of its records stored", async () => {
    const ahead = [await upsert(many("A1")), await upsert(many("A2"))];
    const id = await upsert(many("CX"));
    const r = await cancel(id);
    expect(r.status).toBe(200);
    const body = await r.json();
    expect(body).toMatchObject({ id, status: "cancelled", result: null, error: null, source: "records", progress: { total: 1000 } });
    expect(body.progress.processed).toBeLessThan(1000);
    const again = await cancel(id, { json: {} });
    expect(again.status).toBe(200);
    expect((await again.json()).status).toBe("cancelled");
    expect((await (await app.api(`/api/deferred_results/${id}`)).json()).status).toBe("cancelled");
    for (const a of ahead) expect((await waitForResult(app, a)).status).toBe("ready");
    for (const ext of ["CX-0", "CX-999"]) expect((await app.api(`/api/targets/${ext}`)).status).toBe(404);
    const entries = await app.t.db.prisma.auditEntry.findMany({ where: { action: "import_cancelled", subject: id } });
    expect(entries.map((e) => [e.actorType, e.actorName])).toEqual([["api", "test client"]]);
  });

  test("a ready job and an undo: 409 not_cancellable; unknown or another user's: 404; a body other than {}: 400", async () => {
    const ready = await upsert([{ external_id: "RDY-1", first_name: "Rae" }]);
    expect((await waitForResult(app, ready)).status).toBe("ready");
    const r = await cancel(ready);
    expect(r.status).toBe(409);
    expect((await r.json()).error.code).toBe("not_cancellable");
    const undo = (await (await app.api(`/api/deferred_results/${ready}/revert`, { method: "POST" })).json()).deferred_result_id;
    const u = await cancel(undo);
    expect([u.status, (await u.json()).error.code]).toEqual([409, "not_cancellable"]);

    expect((await cancel("00000000-0000-0000-0000-000000000000")).status).toBe(404);
    const other = await createApiUserWithToken(app.t.db, "other client");
    const theirs = await cancel(ready, { headers: { authorization: `Bearer ${other.token}` } });
    expect([theirs.status, (await theirs.json()).error.code]).toEqual([404, "not_found"]);
    expect((await cancel(ready, { auth: false })).status).toBe(401);
    const withOptions = await cancel(ready, { json: { force: true } });
    expect([withOptions.status, (await withOptions.json()).error.code]).toEqual([400, "invalid_payload"]);
  });

  test("the OpenAPI document lists the cancel route and its 409", async () => {
    const doc = await (await app.api("/api/openapi.json")).json();
    const post = doc.paths["/api/deferred_results/{id}/cancel"].post;
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(["200", "404", "409"]));
    expect(post.responses["409"].description).toContain("not_cancellable");
  });
});
