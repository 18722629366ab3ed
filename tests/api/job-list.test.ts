// GET /api/deferred_results through real HTTP against the built app, on both
// databases: the bearer token, refused parameters, no-store, and the answer's
// shape as the OpenAPI document describes it (contract: "Job listing").
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { z } from "zod";
import { createApiUserWithToken } from "@/lib/auth/api-tokens";
import { startAppServer, waitForResult, type AppServer } from "../support/app-server";
import { DIALECTS } from "../support/test-db";

describe.each(DIALECTS)("GET /api/deferred_results (%s)", (dialect) => {
  let app: AppServer;
  const jobs: string[] = [];
  beforeAll(async () => {
    app = await startAppServer(dialect);
    for (const records of [[{ external_id: "JL-1", email: "jo.lane@example.org" }], [{ external_id: "JL-2", email: "not an email" }]]) {
      const r = await app.api("/api/targets/bulk_upsert", { method: "POST", json: { records } });
      jobs.push((await r.json()).deferred_result_id);
    }
    for (const id of jobs) await waitForResult(app, id);
  });
  afterAll(async () => app?.stop());

  test("without a valid token: 401 unauthorized", async () => {
    for (const authorization of [undefined, "Bearer nope", `Bearer ${app.token}x`]) {
      const r = await app.api("/api/deferred_results", { auth: false, headers: authorization ? { authorization } : {} });
      expect([r.status, (await r.json()).error.code]).toEqual([401, "unauthorized"]);
    }
  });

  test("the caller's jobs, newest first, each as its poll answers without its errors; no-store; paged by next; as the OpenAPI document says", async () => {
    const r = await app.api("/api/deferred_results");
    expect([r.status, r.headers.get("cache-control"), r.headers.get("content-type")]).toEqual([200, "no-store", expect.stringMatching(/^application\/json/)]);
    const body = await r.json();
    expect(body.deferred_results.map((d: { id: string }) => d.id)).toEqual([...jobs].reverse());
    expect(body.next).toBeNull();
    const poll = await (await app.api(`/api/deferred_results/${jobs[1]}`)).json();
    expect(poll.result.errors).toHaveLength(1);
    const counts = { ...poll.result };
    delete counts.errors;
    delete counts.errors_next;
    expect(body.deferred_results[0]).toEqual({ ...poll, result: counts });
    expect(body.deferred_results[0].result).toMatchObject({ total: 1, rejected: 1 });

    const doc = await (await app.api("/api/openapi.json")).json();
    expect(doc.paths["/api/deferred_results"].get.parameters.map((p: { name: string }) => p.name)).toEqual(["status", "source", "limit", "cursor"]);
    expect(z.fromJSONSchema(doc.components.schemas.DeferredResultList).safeParse(body).error).toBeUndefined();

    const first = await (await app.api("/api/deferred_results?limit=1&status=ready")).json();
    expect(first.deferred_results.map((d: { id: string }) => d.id)).toEqual([jobs[1]]);
    const second = await app.api(first.next);
    expect(second.headers.get("cache-control")).toBe("no-store");
    expect(await second.json()).toMatchObject({ deferred_results: [{ id: jobs[0], status: "ready" }], next: null });
  });

  test("another API user sees none of them", async () => {
    const { token } = await createApiUserWithToken(app.t.db, "someone else");
    const r = await app.api("/api/deferred_results", { headers: { authorization: `Bearer ${token}` } });
    expect(await r.json()).toEqual({ deferred_results: [], next: null });
  });

  test.each(["status=queued", "source=upload", "limit=0", "limit=101", "cursor=nope", "page=2", "status=ready&status=failed"])(
    "?%s: 400 invalid_payload naming the parameter, no-store",
    async (params) => {
      const r = await app.api(`/api/deferred_results?${params}`);
      const body = await r.json();
      expect([r.status, r.headers.get("cache-control"), body.error.code]).toEqual([400, "no-store", "invalid_payload"]);
      expect(body.error.details[0].path).toBe(params === "page=2" ? "" : params.split("=")[0]);
    },
  );
});
