// An API user's webhook endpoints (contract: "Webhooks"): registered with a
// secret shown once, listed without it, deleted (its deliveries go with it).
// Registration and deletion are audited in their transaction.
import "server-only";
import { randomUUID } from "node:crypto";
import { byOrSystem, type AuditBy } from "../audit/audit-actor";
import { insertAuditEntries } from "../audit/record-audit";
import type { Db } from "../db/client";
import { nowTimestampSql } from "../db/sql";
import { AppError } from "../errors";
import { checkWebhookUrl } from "./webhook-url";
import { newWebhookSecret, sealWebhookSecret } from "./webhook-secret";
import {
  MAX_WEBHOOKS,
  webhookEventSchema,
  type CreatedWebhook,
  type CreateWebhookInput,
  type Webhook,
} from "./webhook-schema";

const eventsOf = (text: string) => webhookEventSchema.array().parse(JSON.parse(text));
const iso = (d: Date | null) => d?.toISOString() ?? null;

export async function createWebhook(
  d: Db,
  apiUserId: string,
  input: CreateWebhookInput,
  opts: { allowedHosts: readonly string[]; by?: AuditBy },
): Promise<CreatedWebhook> {
  const { url } = await checkWebhookUrl(input.url, opts.allowedHosts);
  const id = randomUUID();
  const secret = newWebhookSecret();
  const events = [...new Set(input.events)];
  await d.sql.tx(async (q) => {
    // the API user's row locked (PostgreSQL): two registrations at once cannot both be the 10th
    const user = await q.get(`SELECT id FROM api_user WHERE id = ?${q.dialect === "postgresql" ? " FOR UPDATE" : ""}`, [apiUserId]);
    if (!user) throw new AppError("not_found", "No such API user");
    const row = await q.get<{ n: number }>("SELECT COUNT(*) AS n FROM webhook_endpoint WHERE api_user_id = ?", [apiUserId]);
    if (Number(row?.n ?? 0) >= MAX_WEBHOOKS) {
      throw new AppError("too_many_webhooks", `An API user may have at most ${MAX_WEBHOOKS} webhooks; delete one first`);
    }
    await q.run(
      `INSERT INTO webhook_endpoint (id, api_user_id, url, events, secret, created_at) VALUES (?, ?, ?, ?, ?, ${nowTimestampSql(q.dialect)})`,
      [id, apiUserId, url.href, JSON.stringify(events), sealWebhookSecret(secret)],
    );
    await insertAuditEntries(q, [
      { ...byOrSystem(opts.by), action: "webhook_created", subjectType: "webhook", subject: id, detail: { url: url.href } },
    ]);
  });
  const created = await d.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id } });
  return { id, url: created.url, events, secret, created_at: created.createdAt.toISOString() };
}

export async function listWebhooks(d: Db, apiUserId: string): Promise<Webhook[]> {
  const rows = await d.prisma.webhookEndpoint.findMany({ where: { apiUserId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  return rows.map((r) => ({
    id: r.id,
    url: r.url,
    events: eventsOf(r.events),
    created_at: r.createdAt.toISOString(),
    failing_since: iso(r.failingSince),
    disabled_at: iso(r.disabledAt),
  }));
}

/** Another API user's endpoint is not found, like an unknown one. */
export async function deleteWebhook(d: Db, apiUserId: string, id: string, by?: AuditBy): Promise<void> {
  const n = await d.sql.tx(async (q) => {
    const row = await q.get<{ url: string }>("SELECT url FROM webhook_endpoint WHERE id = ? AND api_user_id = ?", [id, apiUserId]);
    if (!row) return 0;
    await q.run("DELETE FROM webhook_delivery WHERE endpoint_id = ?", [id]);
    await q.run("DELETE FROM webhook_endpoint WHERE id = ?", [id]);
    await insertAuditEntries(q, [{ ...byOrSystem(by), action: "webhook_deleted", subjectType: "webhook", subject: id, detail: { url: row.url } }]);
    return 1;
  });
  if (n === 0) throw new AppError("not_found", `No webhook with id ${id}`);
}

/** The endpoint, if it is the API user's (else not_found). */
export async function findOwnWebhook(d: Db, apiUserId: string, id: string) {
  const row = await d.prisma.webhookEndpoint.findFirst({ where: { id, apiUserId } });
  if (!row) throw new AppError("not_found", `No webhook with id ${id}`);
  return row;
}
