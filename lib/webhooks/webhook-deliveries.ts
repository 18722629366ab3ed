// An endpoint's deliveries, newest first (contract: "Webhooks": GET
// /api/webhooks/<id>/deliveries), paged by a keyset cursor; and the few most
// recent of each endpoint, for the tokens page.
import "server-only";
import { z } from "zod";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { DELIVERY_STATUSES, type Delivery } from "./webhook-schema";

export const DELIVERIES_PAGE_SIZE = 50;

type DeliveryRow = {
  id: string;
  type: string;
  jobId: string;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  nextAttemptAt: bigint | null;
  createdAt: Date;
};

const statusOf = z.enum(DELIVERY_STATUSES);

export function deliveryOf(r: DeliveryRow): Delivery {
  return {
    id: r.id,
    type: r.type,
    deferred_result_id: r.jobId || null,
    status: statusOf.parse(r.status),
    attempts: r.attempts,
    last_status_code: r.lastStatusCode,
    next_attempt_at: r.nextAttemptAt === null ? null : new Date(Number(r.nextAttemptAt)).toISOString(),
    created_at: r.createdAt.toISOString(),
  };
}

const cursorSchema = z.tuple([z.iso.datetime(), z.string().min(1)]);

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const [at, id] = cursorSchema.parse(JSON.parse(Buffer.from(cursor, "base64url").toString()));
    return { createdAt: new Date(at), id };
  } catch {
    throw new AppError("invalid_payload", "The cursor is not one this API gave out", { details: [{ path: "cursor", message: "unknown cursor" }] });
  }
}

/** A page of the endpoint's deliveries (the endpoint already known to be the caller's). */
export async function listDeliveries(d: Db, webhookId: string, cursor: string | null): Promise<{ deliveries: Delivery[]; next: string | null }> {
  const after = cursor === null ? null : decodeCursor(cursor);
  const rows = await d.prisma.webhookDelivery.findMany({
    where: {
      endpointId: webhookId,
      // "the same millisecond" as a range: SQLite holds these timestamps in the database's text form
      // (…Z), which Prisma's (…+00:00) does not equal, but orders the same within a millisecond's bounds
      ...(after && {
        OR: [
          { createdAt: { lt: after.createdAt } },
          { createdAt: { gte: after.createdAt, lt: new Date(after.createdAt.getTime() + 1) }, id: { lt: after.id } },
        ],
      }),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: DELIVERIES_PAGE_SIZE + 1,
  });
  const page = rows.slice(0, DELIVERIES_PAGE_SIZE);
  const last = page[page.length - 1];
  const next =
    rows.length > DELIVERIES_PAGE_SIZE
      ? `/api/webhooks/${encodeURIComponent(webhookId)}/deliveries?cursor=${Buffer.from(JSON.stringify([last.createdAt.toISOString(), last.id])).toString("base64url")}`
      : null;
  return { deliveries: page.map(deliveryOf), next };
}

/** The `perEndpoint` latest deliveries of each endpoint, by endpoint id. */
export async function recentDeliveries(d: Db, endpointIds: readonly string[], perEndpoint = 5): Promise<Map<string, Delivery[]>> {
  const out = new Map<string, Delivery[]>();
  for (const id of endpointIds) {
    const rows = await d.prisma.webhookDelivery.findMany({
      where: { endpointId: id },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: perEndpoint,
    });
    out.set(id, rows.map(deliveryOf));
  }
  return out;
}
