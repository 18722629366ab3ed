// The webhook routes through real HTTP against the built app (its engine
// sends), on both databases: registration and its refusals, a job's end
// delivered and verified with standardwebhooks, the deliveries list, another
// API user's webhook not found, no-store, and the OpenAPI document's routes
// and payload schema matching what is sent (contract: "Webhooks").
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { Webhook } from "standardwebhooks";
import { z } from "zod";
import { createApiUserWithToken } from "@/lib/auth/api-tokens";
import { startAppServer, waitForResult, type AppServer } from "../support/app-server";
import { DIALECTS, waitFor } from "../support/test-db";
import { startReceiver } from "../support/webhook-receiver";

const ALL = ["deferred_result.ready", "deferred_result.failed", "deferred_result.cancelled"];

describe.each(DIALECTS)("webhook routes (%s)", (dialect) => {
  let app: AppServer;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    receiver = await startReceiver();
    app = await startAppServer(dialect, { CSV_URL_ALLOWED_HOSTS: "127.0.0.1" });
  });
  afterAll(async () => {
    await app?.stop();
    await receiver?.close();
  });

  const register = (json: unknown, headers: Record<string, string> = {}) => app.api("/api/webhooks", { method: "POST", json, headers });

  test("POST registers (201, the secret once), GET lists without it; a job's end arrives signed, its body the deferred result as GET answers it", async () => {
    const r = await register({ url: receiver.url("/api"), events: ["deferred_result.ready", "deferred_result.failed"] });
    expect([r.status, r.headers.get("cache-control")]).toEqual([201, "no-store"]);
    const created = await r.json();
    expect(Object.keys(created).sort()).toEqual(["created_at", "events", "id", "secret", "url"]);
    expect(created).toMatchObject({ url: receiver.url("/api"), events: ["deferred_result.ready", "deferred_result.failed"] });
    expect(created.secret).toMatch(/^whsec_/);

    const list = await app.api("/api/webhooks");
    expect(list.headers.get("cache-control")).toBe("no-store");
    const listed = await list.json();
    expect(listed.webhooks).toEqual([expect.objectContaining({ id: created.id, url: created.url, events: created.events })]);
    expect(JSON.stringify(listed)).not.toContain("whsec_");

    const upsert = await app.api("/api/targets/bulk_upsert", { method: "POST", json: { records: [{ external_id: "WH-1" }] } });
    const { deferred_result_id: jobId } = await upsert.json();
    const polled = await waitForResult(app, jobId);
    const got = await waitFor(async () => receiver.received.find((x) => x.body.includes(jobId)), 10_000);
    const body = new Webhook(created.secret).verify(got.body, got.headers as Record<string, string>);
    expect(body).toEqual({ type: "deferred_result.ready", timestamp: polled.finished_at, data: polled });

    const doc = await (await app.api("/api/openapi.json")).json();
    expect(z.fromJSONSchema(doc.components.schemas.WebhookPayload).safeParse(body).error).toBeUndefined();
    expect(doc.webhooks["deferred_result.ready"].post.requestBody.content["application/json"].schema.$ref).toBe("#/components/schemas/WebhookPayload");
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/api/webhooks", "/api/webhooks/{id}", "/api/webhooks/{id}/deliveries"]));

    const deliveries = await waitFor(async () => {
      const page = await (await app.api(`/api/webhooks/${created.id}/deliveries`)).json();
      return page.deliveries[0]?.status === "delivered" ? page : null;
    });
    expect(deliveries).toEqual({
      deliveries: [
        {
          id: got.headers["webhook-id"],
          type: "deferred_result.ready",
          deferred_result_id: jobId,
          status: "delivered",
          attempts: 1,
          last_status_code: 200,
          next_attempt_at: null,
          created_at: expect.any(String),
        },
      ],
      next: null,
    });
    expect(z.fromJSONSchema(doc.components.schemas.WebhookDeliveryPage).safeParse(deliveries).error).toBeUndefined();
    expect(z.fromJSONSchema(doc.components.schemas.WebhookList).safeParse(listed).error).toBeUndefined();
  });

  test.each([
    ["no events", { url: "https://example.org/hook" }],
    ["empty events", { url: "https://example.org/hook", events: [] }],
    ["an unknown event", { url: "https://example.org/hook", events: ["deferred_result.running"] }],
    ["an unknown key", { url: "https://example.org/hook", events: ALL, secret: "mine" }],
    ["http to a host not allowed", { url: "http://example.org/hook", events: ALL }],
    ["a loopback address the allowed hosts do not name", { url: "https://127.0.0.2/hook", events: ALL }],
    ["a link-local address", { url: "https://169.254.169.254/hook", events: ALL }],
    ["a relative URL", { url: "/hook", events: ALL }],
  ])("POST with %s: 400 invalid_payload", async (_what, json) => {
    const r = await register(json);
    expect([r.status, (await r.json()).error.code]).toEqual([400, "invalid_payload"]);
  });

  test("POST refuses what is not JSON (415) and a body over 16 KB (413)", async () => {
    const plain = await app.api("/api/webhooks", { method: "POST", body: "url=x", headers: { "content-type": "text/plain" } });
    expect(plain.status).toBe(415);
    const big = await register({ url: `https://example.org/${"a".repeat(20_000)}`, events: ALL });
    expect([big.status, (await big.json()).error.code]).toEqual([413, "payload_too_large"]);
  });

  test("another API user's webhook is not found; DELETE answers 204 and it is gone; the 11th is 409 too_many_webhooks", async () => {
    const { token } = await createApiUserWithToken(app.t.db, "other client");
    const other = { authorization: `Bearer ${token}` };
    const mine = await (await register({ url: receiver.url("/mine"), events: ALL })).json();
    for (const [method, path] of [["DELETE", `/api/webhooks/${mine.id}`], ["GET", `/api/webhooks/${mine.id}/deliveries`]]) {
      const r = await app.api(path, { method, headers: other });
      expect([r.status, (await r.json()).error.code]).toEqual([404, "not_found"]);
    }
    expect((await (await app.api("/api/webhooks", { headers: other })).json()).webhooks).toEqual([]);
    const del = await app.api(`/api/webhooks/${mine.id}`, { method: "DELETE" });
    expect(del.status).toBe(204);
    expect((await (await app.api("/api/webhooks")).json()).webhooks.map((w: { id: string }) => w.id)).not.toContain(mine.id);
    expect((await app.api(`/api/webhooks/${mine.id}`, { method: "DELETE" })).status).toBe(404);

    // their own ten, then one too many
    for (let i = 0; i < 10; i++) expect((await app.api("/api/webhooks", { method: "POST", json: { url: receiver.url(`/o${i}`), events: ALL }, headers: other })).status).toBe(201);
    const eleventh = await app.api("/api/webhooks", { method: "POST", json: { url: receiver.url("/o11"), events: ALL }, headers: other });
    expect([eleventh.status, (await eleventh.json()).error.code]).toEqual([409, "too_many_webhooks"]);
  });

  test.each([
    ["GET", "/api/webhooks"],
    ["POST", "/api/webhooks"],
    ["DELETE", "/api/webhooks/x"],
    ["GET", "/api/webhooks/x/deliveries"],
  ])("%s %s without a valid token is 401", async (method, path) => {
    const r = await app.api(path, { method, auth: false });
    expect([r.status, (await r.json()).error.code]).toEqual([401, "unauthorized"]);
  });
});
