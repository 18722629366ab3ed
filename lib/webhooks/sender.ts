// The webhook sender, on the engine side (lib/queue/worker.ts starts it; never
// in the request path): claims due deliveries in batches under a lease, sends
// each (signed, Standard Webhooks) through the CSV fetch's address guard with
// a 10 s limit, and records the outcome. Delivery state lives in the
// database, so a restart or another engine carries on where this one
// stopped; the lease lets only one sender hold a delivery at a time.
// Its own loop and connection use, apart from the merge's, and sends
// concurrently up to a bound. Leases and retry times are epoch ms of the
// DATABASE's clock, compared and set in SQL (as the job queue's, decision
// 001), so engines whose clocks differ still agree on who holds a delivery.
import "server-only";
import { Agent, request } from "undici";
import { Webhook } from "standardwebhooks";
import type { Db } from "../db/client";
import type { Dialect } from "../db/dialect";
import { nowMsSql } from "../db/sql";
import type { SqlConn } from "../db/sql-conn";
import { pinnedLookup } from "../csv/safe-fetch";
import { wakeableSleep } from "../queue/wakeable-sleep";
import { jobDeliveryPayload } from "./delivery-payload";
import { DISABLE_AFTER_MS, retryDelayMs } from "./retry-schedule";
import { checkWebhookUrl } from "./webhook-url";
import { openWebhookSecret } from "./webhook-secret";

export type SenderOptions = {
  id: string;
  /** CSV_URL_ALLOWED_HOSTS: hosts a webhook may use even if private/loopback. */
  allowedHosts: readonly string[];
  /** Added to the database's clock wherever the sender reads it (0 but in tests, which move it ahead to run the retry schedule). */
  clockOffsetMs?: () => number;
  pollMs?: number;
  /** How long a claimed delivery is this sender's beyond the send's time limit (then another sender may take it). */
  leaseMs?: number;
  batchSize?: number;
  /** Sends in flight at once. */
  concurrency?: number;
  timeoutMs?: number;
  log?: (msg: string) => void;
};

type Settings = Required<SenderOptions>;

function settings(o: SenderOptions): Settings {
  return {
    clockOffsetMs: () => 0,
    pollMs: 500,
    leaseMs: 30_000,
    batchSize: 20,
    concurrency: 8,
    timeoutMs: 10_000,
    log: () => {},
    ...o,
  };
}

type Claimed = { id: string; endpoint_id: string; type: string; job_id: string; payload: string; attempts: number };

/** The sender's now: the database's clock (epoch ms) plus one bound offset. */
const nowSql = (dialect: Dialect) => `(${nowMsSql(dialect)} + CAST(? AS BIGINT))`;

/** A timestamp column's value from an epoch-ms expression (the form Prisma stores in SQLite; UTC in PostgreSQL). */
function msTimestampSql(dialect: Dialect, ms: string): string {
  return dialect === "sqlite"
    ? `strftime('%Y-%m-%dT%H:%M:%fZ', CAST(${ms} AS REAL) / 1000.0, 'unixepoch')`
    : `(to_timestamp(CAST(${ms} AS double precision) / 1000) AT TIME ZONE 'UTC')::timestamp(3)`;
}

/**
 * Due deliveries nobody holds, leased to this sender. PostgreSQL: SKIP
 * LOCKED lets several senders claim at once without waiting on each other
 * (deliveries have no order); SQLite runs writes one at a time.
 */
async function claimDue(conn: SqlConn, s: Settings): Promise<Claimed[]> {
  const off = s.clockOffsetMs();
  const now = nowSql(conn.dialect);
  // a read first (no write lock): an idle poll must not take turns with the merge's writes in SQLite
  const due = await conn.get(
    `SELECT 1 AS due FROM webhook_delivery WHERE status = 'pending' AND next_attempt_at <= ${now} AND (locked_until IS NULL OR locked_until < ${now}) LIMIT 1`,
    [off, off],
  );
  if (!due) return [];
  const skipLocked = conn.dialect === "postgresql" ? " FOR UPDATE SKIP LOCKED" : "";
  return conn.tx((q) =>
    q.all<Claimed>(
      `UPDATE webhook_delivery SET locked_by = ?, locked_until = ${now} + ?
        WHERE id IN (SELECT id FROM webhook_delivery
                      WHERE status = 'pending' AND next_attempt_at <= ${now} AND (locked_until IS NULL OR locked_until < ${now})
                      ORDER BY next_attempt_at LIMIT ?${skipLocked})
          AND status = 'pending' AND (locked_until IS NULL OR locked_until < ${now})
      RETURNING id, endpoint_id, type, job_id, payload, attempts`,
      [s.id, off, s.timeoutMs + s.leaseMs, off, off, s.batchSize, off],
    ),
  );
}

/** POSTs the body to the checked addresses only; the status code, or throws (refused, unreachable, timed out). */
async function post(url: string, allowedHosts: readonly string[], headers: Record<string, string>, body: string, timeoutMs: number) {
  const target = await checkWebhookUrl(url, allowedHosts);
  const agent = new Agent({
    connect: { lookup: pinnedLookup(target.host, target.addresses), timeout: timeoutMs },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  try {
    const res = await request(target.url, { method: "POST", headers, body, dispatcher: agent, signal: AbortSignal.timeout(timeoutMs) });
    await res.body.dump({ limit: 64 * 1024 }).catch(() => {});
    return res.statusCode;
  } finally {
    void agent.destroy().catch(() => {});
  }
}

/** One try of a claimed delivery, and its outcome recorded (only while this sender still holds it). */
async function deliver(d: Db, s: Settings, c: Claimed): Promise<void> {
  const endpoint = await d.prisma.webhookEndpoint.findUnique({ where: { id: c.endpoint_id } });
  if (!endpoint) return; // deleted meanwhile: its deliveries went with it
  const q = d.sql;
  const fence = [c.id, s.id];
  if (endpoint.disabledAt) {
    await q.run(
      "UPDATE webhook_delivery SET status = 'failed', next_attempt_at = NULL, locked_by = NULL, locked_until = NULL WHERE id = ? AND locked_by = ?",
      fence,
    );
    return;
  }
  // the lease renewed for this send (a batch's last delivery may wait for the others): a send cannot
  // outlast it (timeoutMs), so no other sender takes the delivery while it is in flight
  const now = nowSql(q.dialect);
  const held = await q.run(`UPDATE webhook_delivery SET locked_until = ${now} + ? WHERE id = ? AND locked_by = ? AND status = 'pending'`, [
    s.clockOffsetMs(),
    s.timeoutMs + s.leaseMs,
    ...fence,
  ]);
  if (held !== 1) return;
  let code: number | null = null;
  try {
    const payload = c.payload || (await jobDeliveryPayload(d, { id: c.id, type: c.type, jobId: c.job_id }));
    // the signature's time is the real one: receivers hold it against their own clock
    const sentAt = new Date();
    const signature = new Webhook(openWebhookSecret(endpoint.secret)).sign(c.id, sentAt, payload);
    code = await post(
      endpoint.url,
      s.allowedHosts,
      {
        "content-type": "application/json",
        "user-agent": "target-import/1 (webhook)",
        "webhook-id": c.id,
        "webhook-timestamp": String(Math.floor(sentAt.getTime() / 1000)),
        "webhook-signature": signature,
      },
      payload,
      s.timeoutMs,
    );
  } catch (err) {
    s.log(`delivery ${c.id}: ${(err as Error).message}`);
  }
  const off = s.clockOffsetMs();
  if (code !== null && code >= 200 && code < 300) {
    await q.tx(async (t) => {
      const n = await t.run(
        `UPDATE webhook_delivery SET status = 'delivered', attempts = attempts + 1, last_status_code = ?, next_attempt_at = NULL,
                locked_by = NULL, locked_until = NULL WHERE id = ? AND locked_by = ?`,
        [code, ...fence],
      );
      if (n === 1) await t.run("UPDATE webhook_endpoint SET failing_since = NULL WHERE id = ?", [endpoint.id]);
    });
    return;
  }
  const wait = retryDelayMs(c.attempts + 1);
  await q.tx(async (t) => {
    const n = await t.run(
      `UPDATE webhook_delivery SET status = ?, attempts = attempts + 1, last_status_code = ?,
              next_attempt_at = ${wait === null ? "NULL" : `${now} + ?`}, locked_by = NULL, locked_until = NULL WHERE id = ? AND locked_by = ?`,
      [wait === null ? "failed" : "pending", code, ...(wait === null ? [] : [off, wait]), ...fence],
    );
    if (n !== 1) return;
    const ts = msTimestampSql(t.dialect, now);
    await t.run(`UPDATE webhook_endpoint SET failing_since = ${ts} WHERE id = ? AND failing_since IS NULL`, [off, endpoint.id]);
    // every delivery failing for 3 days: disabled, and the tokens page says so
    const cutoff = msTimestampSql(t.dialect, `${now} - ?`);
    await t.run(`UPDATE webhook_endpoint SET disabled_at = ${ts} WHERE id = ? AND disabled_at IS NULL AND failing_since <= ${cutoff}`, [
      off,
      endpoint.id,
      off,
      DISABLE_AFTER_MS,
    ]);
  });
}

/** Runs `fn` over the items, at most `limit` at once. */
async function eachBounded<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

/** One round: claims the due deliveries (a batch) and tries each. Returns how many it claimed. */
export async function sendDueDeliveries(d: Db, opts: SenderOptions): Promise<number> {
  const s = settings(opts);
  const claimed = await claimDue(d.sql, s);
  await eachBounded(claimed, s.concurrency, (c) =>
    deliver(d, s, c).catch((err) => s.log(`delivery ${c.id}: ${(err as Error).message}`)),
  );
  return claimed.length;
}

/** The sender's loop until stopped: a round, then (if it found less than a batch) a nap until the next poll (500 ms: well inside 2 s). */
export function startSender(d: Db, opts: SenderOptions): { stop(): Promise<void> } {
  const s = settings(opts);
  const nap = wakeableSleep();
  let stopping = false;
  const loop = (async () => {
    while (!stopping) {
      let n = 0;
      try {
        n = await sendDueDeliveries(d, s);
      } catch (err) {
        s.log(`webhook sender: ${(err as Error).message}`);
      }
      if (n < s.batchSize && !stopping) await nap.sleep(s.pollMs);
    }
  })();
  return {
    async stop() {
      stopping = true;
      nap.wake();
      await loop;
    },
  };
}
