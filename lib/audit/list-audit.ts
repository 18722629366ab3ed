// Reading the audit log: newest first, filtered, a page at a time by a
// keyset on id (the indexes on (actor_id, id) and (action, id) serve the
// filters; at's index the date range).
import "server-only";
import type { Db } from "../db/client";
import { auditActionSchema, auditDetailSchema, type AuditAction } from "./audit-entry";
import { AUDIT_PAGE_SIZE, SYSTEM_ACTOR_FILTER, type AuditQuery } from "./audit-query";

export type AuditRow = {
  id: number;
  at: Date;
  actorType: "staff" | "api" | "system";
  actorName: string;
  address: string | null;
  action: AuditAction;
  subjectType: string | null;
  subject: string | null;
  detail: Record<string, string | number | boolean | null>;
};

const DAY_MS = 86_400_000;

function whereOf(query: AuditQuery, cursor: number | undefined) {
  return {
    ...(query.actor === SYSTEM_ACTOR_FILTER ? { actorType: "system" } : query.actor ? { actorId: query.actor } : {}),
    ...(query.action ? { action: query.action } : {}),
    ...(query.from || query.to
      ? {
          at: {
            ...(query.from ? { gte: new Date(query.from) } : {}),
            // the whole of the last day
            ...(query.to ? { lt: new Date(Date.parse(query.to) + DAY_MS) } : {}),
          },
        }
      : {}),
    ...(cursor ? { id: { lt: cursor } } : {}),
  };
}

function detailOf(text: string | null): AuditRow["detail"] {
  if (!text) return {};
  try {
    const parsed = auditDetailSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

/** Up to `limit` entries older than `cursor` (or the newest), and the cursor of the next page (null: none). */
export async function listAudit(
  d: Db,
  query: AuditQuery,
  limit = AUDIT_PAGE_SIZE,
): Promise<{ entries: AuditRow[]; next: number | null }> {
  const rows = await d.prisma.auditEntry.findMany({ where: whereOf(query, query.cursor), orderBy: { id: "desc" }, take: limit + 1 });
  const entries = rows.slice(0, limit).map((r) => ({
    id: r.id,
    at: r.at,
    actorType: r.actorType as AuditRow["actorType"],
    actorName: r.actorName,
    address: r.address,
    // an action no longer known still shows, as written
    action: auditActionSchema.catch(r.action as AuditAction).parse(r.action),
    subjectType: r.subjectType,
    subject: r.subject,
    detail: detailOf(r.detail),
  }));
  return { entries, next: rows.length > limit ? entries[entries.length - 1].id : null };
}

/** Who the actor filter offers: every staff user and API user there is, by name. */
export async function auditActors(d: Db): Promise<{ id: string; name: string; kind: "staff" | "api" }[]> {
  const [staff, api] = await Promise.all([
    d.prisma.staffUser.findMany({ select: { id: true, email: true }, orderBy: { email: "asc" } }),
    d.prisma.apiUser.findMany({ select: { id: true, name: true }, orderBy: { name: "asc" } }),
  ]);
  return [...staff.map((s) => ({ id: s.id, name: s.email, kind: "staff" as const })), ...api.map((a) => ({ id: a.id, name: a.name, kind: "api" as const }))];
}
