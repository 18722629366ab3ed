// The webhook sender's faults: an engine process killed (SIGKILL) while
// deliveries are pending or in flight has them taken over by another engine
// once their lease runs out; every one is delivered, and the receiving
// server never has one delivery id in flight twice at once. Two engines
// sending at the same time share the work without sending any twice.
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createApiUserWithToken } from "@/lib/auth/api-tokens";
import { startWorker } from "@/lib/queue/worker";
import { queueTestEvent } from "@/lib/webhooks/test-event";
import { createWebhook } from "@/lib/webhooks/webhook-endpoints";
import { createTestDb, DIALECTS, NODE_TS, waitFor, type TestDb } from "../support/test-db";
import { startReceiver } from "../support/webhook-receiver";

const ROOT = resolve(import.meta.dirname, "../..");
const LOCAL = { allowedHosts: ["127.0.0.1"] };

describe.each(DIALECTS)("webhook sender faults (%s)", (dialect) => {
  let t: TestDb;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let hookId: string;
  beforeAll(async () => {
    t = await createTestDb(dialect);
    receiver = await startReceiver({ delayMs: () => 150 });
    const { apiUserId } = await createApiUserWithToken(t.db, "Crash");
    hookId = (await createWebhook(t.db, apiUserId, { url: receiver.url("/crash"), events: ["deferred_result.ready"] }, LOCAL)).id;
  });
  afterAll(async () => {
    await receiver?.close();
    await t?.drop();
  });

  const queue = async (n: number) => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) ids.push(await queueTestEvent(t.db, hookId));
    return ids;
  };
  const allDelivered = (ids: string[]) =>
    waitFor(async () => (await t.db.prisma.webhookDelivery.count({ where: { id: { in: ids }, status: "delivered" } })) === ids.length, 45_000);

  test("an engine killed while deliveries are pending: a second delivers each, none twice at once", { timeout: 90_000 }, async () => {
    const ids = await queue(60);
    const child = spawn(process.execPath, [...NODE_TS, "scripts/worker.ts"], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: t.url, CSV_URL_ALLOWED_HOSTS: "127.0.0.1", JOB_LEASE_MS: "1500", WORKER_POLL_MS: "20", ENGINE_THREADS: "0" },
      stdio: "ignore",
    });
    await waitFor(async () => receiver.received.length >= 10, 60_000);
    child.kill("SIGKILL");
    await new Promise((res) => child.once("exit", res));
    const atKill = await t.db.prisma.webhookDelivery.findMany({ where: { id: { in: ids } } });
    const left = atKill.filter((d) => d.status === "pending");
    expect(left.length).toBeGreaterThan(0);
    // some were held by the dead engine (claimed, perhaps in flight) when it died
    expect(left.some((d) => d.lockedBy !== null)).toBe(true);

    const rescuer = startWorker(t.db, { id: "rescuer", pollMs: 20, leaseMs: 1500, log: () => {}, housekeeping: false, webhooks: LOCAL });
    try {
      await allDelivered(ids);
    } finally {
      await rescuer.stop();
    }
    const got = receiver.received.filter((r) => ids.includes(r.id));
    expect(new Set(got.map((r) => r.id))).toEqual(new Set(ids));
    expect(receiver.overlaps).toEqual([]);
    // at least once: only those the dead engine held can have come twice
    const held = new Set(left.filter((d) => d.lockedBy !== null).map((d) => d.id));
    const twice = ids.filter((id) => got.filter((r) => r.id === id).length > 1);
    for (const id of twice) expect(held.has(id)).toBe(true);
  });

  test("two engines sending at once share the deliveries: each delivered exactly once", { timeout: 60_000 }, async () => {
    const ids = await queue(60);
    const engines = ["one", "two"].map((id) =>
      startWorker(t.db, { id, pollMs: 10, log: () => {}, housekeeping: false, webhooks: { ...LOCAL, batchSize: 5, pollMs: 10 } }),
    );
    try {
      await allDelivered(ids);
    } finally {
      await Promise.all(engines.map((e) => e.stop()));
    }
    const got = receiver.received.filter((r) => ids.includes(r.id));
    expect(got.map((r) => r.id).sort()).toEqual([...ids].sort());
    expect(receiver.overlaps).toEqual([]);
    const senders = await t.db.prisma.webhookDelivery.findMany({ where: { id: { in: ids } } });
    expect(senders.every((d) => d.attempts === 1)).toBe(true);
  });
});
