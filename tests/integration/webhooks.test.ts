// Webhooks (contract: "Webhooks") on both databases: registration and its
// address rule, a job's end sent signed (verified with the standardwebhooks
// package), retries with growing waits by the database's clock (which the
// test moves ahead by an offset), leases and retry times the database's
// clock's whatever the engine's own clock says, a delivery carried on by a
// new sender after a restart, the address guard at delivery, the 3-day
// disable, erasure of stored bodies, retention.
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { Webhook } from "standardwebhooks";
import { createApiUserWithToken } from "@/lib/auth/api-tokens";
import { nowMsSql } from "@/lib/db/sql";
import { getDeferredResult } from "@/lib/imports/deferred-result";
import { requestCancel } from "@/lib/jobs/cancel-job";
import { purgeExpiredDetails } from "@/lib/jobs/retention";
import { submitImport } from "@/lib/imports/submit-import";
import { startWorker } from "@/lib/queue/worker";
import { eraseTarget } from "@/lib/targets/erase-target";
import { purgeExpiredDeliveries } from "@/lib/webhooks/delivery-retention";
import { RETRY_DELAYS_MS } from "@/lib/webhooks/retry-schedule";
import { sendDueDeliveries } from "@/lib/webhooks/sender";
import { queueTestEvent } from "@/lib/webhooks/test-event";
import { listDeliveries } from "@/lib/webhooks/webhook-deliveries";
import { createWebhook, deleteWebhook, listWebhooks } from "@/lib/webhooks/webhook-endpoints";
import type { WebhookEvent } from "@/lib/webhooks/webhook-schema";
import { readyResult, settledResult } from "../support/engine-db";
import { createTestDb, DIALECTS, waitFor, type TestDb } from "../support/test-db";
import { startReceiver } from "../support/webhook-receiver";

const LOCAL = { allowedHosts: ["127.0.0.1"] };
const ALL: WebhookEvent[] = ["deferred_result.ready", "deferred_result.failed", "deferred_result.cancelled"];

describe.each(DIALECTS)("webhooks (%s)", (dialect) => {
  let t: TestDb;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let failing = false;
  beforeAll(async () => {
    t = await createTestDb(dialect);
    receiver = await startReceiver({ status: () => (failing ? 503 : 204) });
  });
  afterAll(async () => {
    await receiver?.close();
    await t?.drop();
  });

  const jobDeliveryIds = async (jobId: string) =>
    (await t.db.prisma.webhookDelivery.findMany({ where: { jobId }, select: { id: true } })).map((d) => d.id);
  const newApiUser = async (name: string) => (await createApiUserWithToken(t.db, name)).apiUserId;
  const delivery = (id: string) => t.db.prisma.webhookDelivery.findUniqueOrThrow({ where: { id } });
  /** The database's clock, epoch ms: the one the sender schedules and leases by. */
  const dbNow = async () => Number((await t.db.sql.get<{ now: number }>(`SELECT ${nowMsSql(dialect)} AS now`))!.now);
  /** The sender's clock offset that makes its now (database clock + offset) at least `ms` from here on. */
  const offsetTo = async (ms: number) => ms - (await dbNow());

  test("registration: the secret is answered once and stored sealed; listed without it; the 11th is refused; another's is not found", async () => {
    const owner = await newApiUser("Registrar");
    const other = await newApiUser("Other");
    const created = await createWebhook(t.db, owner, { url: receiver.url("/reg"), events: ["deferred_result.ready"] }, LOCAL);
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(created.secret.slice(6), "base64").length).toBeGreaterThanOrEqual(24);
    const row = await t.db.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.secret).not.toContain(created.secret.slice(6, 20));
    const listed = await listWebhooks(t.db, owner);
    expect(listed).toEqual([
      { id: created.id, url: receiver.url("/reg"), events: ["deferred_result.ready"], created_at: created.created_at, failing_since: null, disabled_at: null },
    ]);
    expect(JSON.stringify(listed)).not.toContain("whsec_");
    expect(await listWebhooks(t.db, other)).toEqual([]);
    await expect(deleteWebhook(t.db, other, created.id)).rejects.toMatchObject({ code: "not_found" });

    for (let i = 1; i < 10; i++) await createWebhook(t.db, owner, { url: receiver.url(`/reg${i}`), events: ALL }, LOCAL);
    await expect(createWebhook(t.db, owner, { url: receiver.url("/eleventh"), events: ALL }, LOCAL)).rejects.toMatchObject({
      code: "too_many_webhooks",
    });
    await deleteWebhook(t.db, owner, created.id);
    expect(await listWebhooks(t.db, owner)).toHaveLength(9);
    const audit = await t.db.prisma.auditEntry.findMany({ where: { subject: created.id }, orderBy: { id: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["webhook_created", "webhook_deleted"]);
  });

  test("registration refuses what the CSV fetch's guard refuses, and http unless CSV_URL_ALLOWED_HOSTS names the host", async () => {
    const owner = await newApiUser("Refused");
    const refused = async (url: string, allowedHosts: string[] = []) => {
      const err = await createWebhook(t.db, owner, { url, events: ALL }, { allowedHosts }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: "invalid_payload" });
      return (err as Error).message;
    };
    expect(await refused(receiver.url("/x"))).toMatch(/must be https/);
    expect(await refused("http://example.org/hook")).toMatch(/must be https/);
    expect(await refused("https://127.0.0.1/hook")).toMatch(/loopback/);
    expect(await refused("https://10.1.2.3/hook")).toMatch(/private/);
    expect(await refused("https://169.254.169.254/latest")).toMatch(/link-local/);
    expect(await refused("https://[::1]/hook")).toMatch(/loopback/);
    expect(await refused("https://localhost/hook")).toMatch(/loopback/);
    expect(await refused("not a url")).toMatch(/absolute URL/);
    expect(await listWebhooks(t.db, owner)).toEqual([]);
  });

  test("a job's end is sent within 2 s, signed as standardwebhooks verifies, the body the deferred result as GET answers it", async () => {
    const owner = await newApiUser("Signed");
    const quiet = await newApiUser("Subscribed to nothing");
    const hook = await createWebhook(t.db, owner, { url: receiver.url("/signed"), events: ["deferred_result.ready"] }, LOCAL);
    const onlyFailed = await createWebhook(t.db, owner, { url: receiver.url("/only-failed"), events: ["deferred_result.failed"] }, LOCAL);
    const worker = startWorker(t.db, { pollMs: 10, log: () => {}, housekeeping: false, webhooks: LOCAL });
    try {
      const job = await submitImport(t.db, {
        source: "records",
        strategy: "reject",
        records: [{ external_id: "S-1", email: "s1@example.org" }, { external_id: "S-2", email: "not an email" }],
        apiUserId: owner,
      });
      const silent = await submitImport(t.db, { source: "records", strategy: "reject", records: [{ external_id: "S-3" }], apiUserId: quiet });
      await readyResult(t.db, job.id);
      const got = await waitFor(async () => receiver.received.find((r) => r.body.includes(job.id)), 5_000);
      const ended = await t.db.prisma.importJob.findUniqueOrThrow({ where: { id: job.id } });
      expect(got.at - ended.finishedAt!.getTime()).toBeLessThan(2_000);
      expect(got.headers["content-type"]).toBe("application/json");
      const verified = new Webhook(hook.secret).verify(got.body, {
        "webhook-id": String(got.headers["webhook-id"]),
        "webhook-timestamp": String(got.headers["webhook-timestamp"]),
        "webhook-signature": String(got.headers["webhook-signature"]),
      });
      expect(verified).toEqual({
        type: "deferred_result.ready",
        timestamp: ended.finishedAt!.toISOString(),
        data: await getDeferredResult(t.db, job.id, { apiUserId: owner }),
      });
      expect(got.body).toContain('"S-2"'); // the result's errors, as GET answers them
      // the wrong secret does not verify
      expect(() => new Webhook(onlyFailed.secret).verify(got.body, got.headers as Record<string, string>)).toThrow();
      await readyResult(t.db, silent.id);
      await new Promise((r) => setTimeout(r, 700));
      expect(receiver.received.filter((r) => r.body.includes(silent.id))).toEqual([]);
      expect(await t.db.prisma.webhookDelivery.count({ where: { endpointId: onlyFailed.id } })).toBe(0);
      const listed = await listDeliveries(t.db, hook.id, null);
      expect(listed.deliveries).toEqual([
        expect.objectContaining({ id: got.headers["webhook-id"], type: "deferred_result.ready", deferred_result_id: job.id, status: "delivered", attempts: 1, last_status_code: 204, next_attempt_at: null }),
      ]);
    } finally {
      await worker.stop();
    }
  });

  test("a CSV that fails at staging is sent as deferred_result.failed, a job cancelled while waiting as deferred_result.cancelled", async () => {
    const owner = await newApiUser("Ended otherwise");
    const hook = await createWebhook(t.db, owner, { url: receiver.url("/ended"), events: ALL }, LOCAL);
    const waiting = await submitImport(t.db, { source: "records", strategy: "reject", records: [{ external_id: "C-1" }], apiUserId: owner });
    expect((await requestCancel(t.db.sql, waiting.id)).status).toBe("cancelled");
    const worker = startWorker(t.db, {
      pollMs: 10,
      log: () => {},
      housekeeping: false,
      webhooks: LOCAL,
      run: { csv: { allowedHosts: ["127.0.0.1"], timeoutMs: 5_000, maxBytes: 1_000_000 } },
    });
    try {
      // port 1: nothing listens there
      const broken = await submitImport(t.db, { source: "csv_url", strategy: "reject", csvUrl: "http://127.0.0.1:1/members.csv", apiUserId: owner });
      expect((await settledResult(t.db, broken.id)).status).toBe("failed");
      for (const [id, type] of [
        [waiting.id, "deferred_result.cancelled"],
        [broken.id, "deferred_result.failed"],
      ]) {
        const got = await waitFor(async () => receiver.received.find((r) => r.body.includes(id)), 5_000);
        expect(new Webhook(hook.secret).verify(got.body, got.headers as Record<string, string>)).toEqual({
          type,
          timestamp: expect.any(String),
          data: await getDeferredResult(t.db, id, { apiUserId: owner }),
        });
      }
    } finally {
      await worker.stop();
    }
  });

  test("a failing endpoint is retried with growing waits (first ≤ 30 s, second ≤ 2 min, ≥ 24 h, ≥ 6 tries), then failed; 3 days of failures disable it", async () => {
    const owner = await newApiUser("Retried");
    const hook = await createWebhook(t.db, owner, { url: receiver.url("/retry"), events: ALL }, LOCAL);
    let offset = 1_000;
    const sender = { id: "clocked", ...LOCAL, clockOffsetMs: () => offset };
    failing = true;
    try {
      const id = await queueTestEvent(t.db, hook.id);
      // each try's time on the sender's clock (database clock + offset), bracketed by reads before and after it
      const tries: { from: number; to: number }[] = [];
      for (;;) {
        const before = receiver.received.filter((r) => r.id === id).length;
        const from = (await dbNow()) + offset;
        expect(await sendDueDeliveries(t.db, sender)).toBe(1);
        tries.push({ from, to: (await dbNow()) + offset });
        expect(receiver.received.filter((r) => r.id === id)).toHaveLength(before + 1);
        const d = await delivery(id);
        expect(d.attempts).toBe(tries.length);
        expect(d.lastStatusCode).toBe(503);
        if (d.status === "failed") break;
        expect(d.status).toBe("pending");
        const next = Number(d.nextAttemptAt);
        // scheduled from the try's time by the schedule
        const wait = RETRY_DELAYS_MS[tries.length - 1];
        expect(next).toBeGreaterThanOrEqual(tries.at(-1)!.from + wait);
        expect(next).toBeLessThanOrEqual(tries.at(-1)!.to + wait);
        // not before its time (a second short of it)
        offset = await offsetTo(next - 1_000);
        expect(await sendDueDeliveries(t.db, sender)).toBe(0);
        offset = await offsetTo(next);
      }
      // the waits between tries, at most and at least
      const longest = tries.slice(1).map((at, i) => at.to - tries[i].from);
      const shortest = tries.slice(1).map((at, i) => at.from - tries[i].to);
      expect(longest[0]).toBeLessThanOrEqual(30_000);
      expect(longest[1]).toBeLessThanOrEqual(120_000);
      for (let i = 1; i < shortest.length; i++) expect(shortest[i]).toBeGreaterThan(longest[i - 1]);
      expect(tries.length).toBeGreaterThanOrEqual(6);
      expect(tries[tries.length - 1].from - tries[0].to).toBeGreaterThanOrEqual(24 * 3_600_000);
      expect((await delivery(id)).nextAttemptAt).toBeNull();
      // every try the same message: one webhook-id, the same body
      expect(new Set(receiver.received.filter((r) => r.id === id).map((r) => r.body)).size).toBe(1);

      let [listed] = await listWebhooks(t.db, owner);
      expect(listed.failing_since).not.toBeNull();
      expect(listed.disabled_at).toBeNull();
      const failingSince = new Date(listed.failing_since!).getTime();
      // three days after the first failure, one more failure disables it
      offset = await offsetTo(failingSince + 3 * 24 * 3_600_000);
      const last = await queueTestEvent(t.db, hook.id);
      expect(await sendDueDeliveries(t.db, sender)).toBe(1);
      [listed] = await listWebhooks(t.db, owner);
      expect(listed.disabled_at).not.toBeNull();
      // a disabled endpoint is sent nothing more: a job's end queues nothing, a pending delivery fails unsent
      const job = await submitImport(t.db, { source: "records", strategy: "reject", records: [{ external_id: "R-1" }], apiUserId: owner });
      const worker = startWorker(t.db, { pollMs: 10, log: () => {}, housekeeping: false, webhooks: false });
      try {
        await readyResult(t.db, job.id);
      } finally {
        await worker.stop();
      }
      expect(await t.db.prisma.webhookDelivery.count({ where: { jobId: job.id } })).toBe(0);
      const pending = await delivery(last);
      offset = await offsetTo(Number(pending.nextAttemptAt));
      const seen = receiver.received.length;
      await sendDueDeliveries(t.db, sender);
      expect(receiver.received.length).toBe(seen);
      expect((await delivery(last)).status).toBe("failed");
    } finally {
      failing = false;
    }
  });

  test("a delivery survives a restart: a new sender carries on with the same webhook-id, and a success clears failing", async () => {
    const owner = await newApiUser("Restarted");
    const hook = await createWebhook(t.db, owner, { url: receiver.url("/restart"), events: ALL }, LOCAL);
    failing = true;
    const id = await queueTestEvent(t.db, hook.id);
    expect(await sendDueDeliveries(t.db, { id: "first-life", ...LOCAL })).toBe(1);
    failing = false;
    expect((await listWebhooks(t.db, owner))[0].failing_since).not.toBeNull();
    // the first sender is gone; another (a restarted engine) finds the delivery in the database when it is due
    const offset = await offsetTo(Number((await delivery(id)).nextAttemptAt));
    expect(await sendDueDeliveries(t.db, { id: "second-life", ...LOCAL, clockOffsetMs: () => offset })).toBe(1);
    const d = await delivery(id);
    expect({ status: d.status, attempts: d.attempts, code: d.lastStatusCode }).toEqual({ status: "delivered", attempts: 2, code: 204 });
    const tries = receiver.received.filter((r) => r.id === id);
    expect(tries).toHaveLength(2);
    expect(tries[0].body).toBe(tries[1].body);
    expect((await listWebhooks(t.db, owner))[0].failing_since).toBeNull();
  });

  test("leases and retry times are the database's clock's: an engine whose own clock is an hour ahead neither takes a held delivery nor tries one early", async () => {
    const owner = await newApiUser("Clock ahead");
    const hook = await createWebhook(t.db, owner, { url: receiver.url("/clock"), events: ALL }, LOCAL);
    const id = await queueTestEvent(t.db, hook.id);
    // another sender holds it for a minute more, by the database's clock
    await t.db.sql.run(`UPDATE webhook_delivery SET locked_by = 'other', locked_until = ${nowMsSql(dialect)} + 60000 WHERE id = ?`, [id]);
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 3_600_000 });
    failing = true;
    try {
      expect(await sendDueDeliveries(t.db, { id: "ahead", ...LOCAL })).toBe(0);
      expect(receiver.received.filter((r) => r.id === id)).toEqual([]);
      // the other sender lets it go; this one's try fails, and the retry is 5 s after it by the database's clock
      await t.db.sql.run("UPDATE webhook_delivery SET locked_by = NULL, locked_until = NULL WHERE id = ?", [id]);
      const from = await dbNow();
      expect(await sendDueDeliveries(t.db, { id: "ahead", ...LOCAL })).toBe(1);
      const to = await dbNow();
      const next = Number((await delivery(id)).nextAttemptAt);
      expect(next).toBeGreaterThanOrEqual(from + RETRY_DELAYS_MS[0]);
      expect(next).toBeLessThanOrEqual(to + RETRY_DELAYS_MS[0]);
      // not tried again before then, however far ahead the engine's clock is
      expect(await sendDueDeliveries(t.db, { id: "ahead", ...LOCAL })).toBe(0);
      expect(receiver.received.filter((r) => r.id === id)).toHaveLength(1);
    } finally {
      vi.useRealTimers();
      failing = false;
    }
    await deleteWebhook(t.db, owner, hook.id); // its retry is no other test's to send
  });

  test("retention: delivered and failed deliveries go RETENTION_DAYS after they were queued, a job's with its problems, never one still pending", async () => {
    const owner = await newApiUser("Retained");
    const hook = await createWebhook(t.db, owner, { url: receiver.url("/retained"), events: ALL }, LOCAL);
    const worker = startWorker(t.db, { pollMs: 10, log: () => {}, housekeeping: false, webhooks: LOCAL });
    const jobs: string[] = [];
    try {
      for (const externalId of ["K-1", "K-2"]) {
        const job = await submitImport(t.db, { source: "records", strategy: "reject", records: [{ external_id: externalId, email: "bad" }], apiUserId: owner });
        await settledResult(t.db, job.id);
        jobs.push(job.id);
      }
      await waitFor(async () => (await t.db.prisma.webhookDelivery.count({ where: { jobId: { in: jobs }, status: "delivered" } })) === 2, 5_000);
    } finally {
      await worker.stop();
    }
    const [delivered, failed, pending, recent] = [
      await queueTestEvent(t.db, hook.id),
      await queueTestEvent(t.db, hook.id),
      await queueTestEvent(t.db, hook.id),
      await queueTestEvent(t.db, hook.id),
    ];
    await t.db.sql.run("UPDATE webhook_delivery SET status = 'delivered', next_attempt_at = NULL WHERE id IN (?, ?)", [delivered, recent]);
    await t.db.sql.run("UPDATE webhook_delivery SET status = 'failed', next_attempt_at = NULL WHERE id = ?", [failed]);
    // 31 days ago: the test events, and both jobs' ends (one of them still has a delivery to send)
    const longAgo = new Date(Date.now() - 31 * 86_400_000);
    await t.db.prisma.webhookDelivery.updateMany({ where: { id: { in: [delivered, failed, pending] } }, data: { createdAt: longAgo } });
    await t.db.prisma.importJob.updateMany({ where: { id: { in: jobs } }, data: { finishedAt: longAgo } });
    await queueTestEvent(t.db, hook.id).then((id) =>
      t.db.sql.run("UPDATE webhook_delivery SET job_id = ?, type = 'deferred_result.failed' WHERE id = ?", [jobs[1], id]),
    );

    expect(await purgeExpiredDetails(t.db.sql, 30)).toBe(1);
    // the job whose end was delivered: its problems and its deliveries are gone together
    expect(await t.db.prisma.webhookDelivery.count({ where: { jobId: jobs[0] } })).toBe(0);
    expect(await t.db.prisma.importError.count({ where: { jobId: jobs[0] } })).toBe(0);
    // the one with a delivery still to send keeps both (its body is built from them)
    expect(await t.db.prisma.webhookDelivery.count({ where: { jobId: jobs[1] } })).toBe(2);
    expect(await t.db.prisma.importError.count({ where: { jobId: jobs[1] } })).toBeGreaterThan(0);
    expect(await purgeExpiredDeliveries(t.db.sql, 30, 1)).toBe(2);
    const left = await t.db.prisma.webhookDelivery.findMany({ where: { endpointId: hook.id }, select: { id: true } });
    expect(new Set(left.map((d) => d.id))).toEqual(new Set([pending, recent, ...(await jobDeliveryIds(jobs[1]))]));
    const listed = await listDeliveries(t.db, hook.id, null);
    expect(listed.deliveries.map((d) => d.id)).not.toContain(delivered);
    // once that delivery has ended, the job's problems and deliveries go
    await t.db.sql.run("UPDATE webhook_delivery SET status = 'failed', next_attempt_at = NULL WHERE job_id = ?", [jobs[1]]);
    expect(await purgeExpiredDetails(t.db.sql, 30)).toBe(1);
    expect(await t.db.prisma.webhookDelivery.count({ where: { jobId: jobs[1] } })).toBe(0);
    expect(await t.db.prisma.importError.count({ where: { jobId: jobs[1] } })).toBe(0);
    await deleteWebhook(t.db, owner, hook.id); // its pending test event is no other test's to send
  });

  test("the address guard holds at delivery: a URL no longer allowed is not fetched, and the try counts as failed", async () => {
    const owner = await newApiUser("Guarded");
    const hook = await createWebhook(t.db, owner, { url: receiver.url("/guarded"), events: ALL }, LOCAL);
    const id = await queueTestEvent(t.db, hook.id);
    // the sender's allowed hosts no longer name 127.0.0.1 (as after a configuration change)
    expect(await sendDueDeliveries(t.db, { id: "strict", allowedHosts: [] })).toBe(1);
    expect(receiver.received.filter((r) => r.id === id)).toEqual([]);
    const d = await delivery(id);
    expect({ status: d.status, attempts: d.attempts, code: d.lastStatusCode }).toEqual({ status: "pending", attempts: 1, code: null });
  });

  test("erasing a member scrubs it from stored bodies, which then say what GET answers", async () => {
    const owner = await newApiUser("Erased");
    const hook = await createWebhook(t.db, owner, { url: receiver.url("/erased"), events: ALL }, LOCAL);
    const worker = startWorker(t.db, { pollMs: 10, log: () => {}, housekeeping: false, webhooks: LOCAL });
    let jobId: string;
    try {
      await readyResult(t.db, (await submitImport(t.db, { source: "records", strategy: "reject", records: [{ external_id: "E-1", email: "e1@example.org" }] })).id);
      const job = await submitImport(t.db, {
        source: "records",
        strategy: "reject",
        records: [{ external_id: "E-1", email: "secret-address@@example.org" }, { external_id: "E-2", email: "e1@example.org" }],
        apiUserId: owner,
      });
      jobId = job.id;
      await settledResult(t.db, job.id);
      await waitFor(async () => (await t.db.prisma.webhookDelivery.findFirst({ where: { jobId: job.id, status: "delivered" } })) ?? null, 5_000);
    } finally {
      await worker.stop();
    }
    const before = (await t.db.prisma.webhookDelivery.findFirstOrThrow({ where: { endpointId: hook.id } })).payload;
    expect(before).toContain("E-1");
    expect(before).toContain("secret-address");
    await eraseTarget(t.db, "E-1");
    const after = (await t.db.prisma.webhookDelivery.findFirstOrThrow({ where: { endpointId: hook.id } })).payload;
    expect(after).not.toContain("E-1");
    expect(after).not.toContain("secret-address");
    expect(JSON.parse(after).data).toEqual(await getDeferredResult(t.db, jobId, { apiUserId: owner }));
  });

  test("deliveries are listed newest first, paged by a cursor that neither repeats nor skips", async () => {
    const owner = await newApiUser("Listed");
    const hook = await createWebhook(t.db, owner, { url: receiver.url("/listed"), events: ALL }, LOCAL);
    const ids: string[] = [];
    for (let i = 0; i < 53; i++) ids.push(await queueTestEvent(t.db, hook.id));
    const first = await listDeliveries(t.db, hook.id, null);
    expect(first.deliveries).toHaveLength(50);
    expect(first.next).toMatch(/^\/api\/webhooks\/.+\/deliveries\?cursor=/);
    const second = await listDeliveries(t.db, hook.id, new URL(first.next!, "http://x").searchParams.get("cursor"));
    expect(second.next).toBeNull();
    const all = [...first.deliveries, ...second.deliveries];
    expect(new Set(all.map((d) => d.id))).toEqual(new Set(ids));
    const times = all.map((d) => d.created_at);
    expect([...times].sort().reverse()).toEqual(times);
    await expect(listDeliveries(t.db, hook.id, "bogus")).rejects.toMatchObject({ code: "invalid_payload" });
  });
});
