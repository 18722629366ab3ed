// Appends audit entries. The only writer of audit_entry besides the
// retention purge: no page or route edits or deletes an entry.
import "server-only";
import { prismaOf, type Db, type Tx } from "../db/client";
import { nowTimestampSql } from "../db/sql";
import type { SqlQuery } from "../db/sql-conn";
import { auditEventSchema, type AuditEvent } from "./audit-entry";

function rowOf(event: AuditEvent) {
  const e = auditEventSchema.parse(event);
  return {
    actorType: e.actor.type,
    actorId: e.actor.type === "system" ? null : e.actor.id,
    actorName: e.actor.name,
    address: e.address ?? null,
    action: e.action,
    subjectType: e.subjectType ?? null,
    subject: e.subject ?? null,
    detail: e.detail ? JSON.stringify(e.detail) : null,
  };
}

/**
 * Records one entry. Pass the transaction (`tx`) of the change it records
 * where there is one, so the change and its entry are written together.
 */
export async function recordAudit(to: Db | Tx, event: AuditEvent): Promise<void> {
  await prismaOf(to).auditEntry.create({ data: rowOf(event) });
}

/**
 * Records entries through the raw connection, all in one statement: for the
 * changes made there (accepting jobs, erasure), inside their transaction.
 */
export async function insertAuditEntries(q: SqlQuery, events: readonly AuditEvent[]): Promise<void> {
  if (events.length === 0) return;
  const rows = events.map(rowOf);
  // `at` from the database's clock in the form Prisma stores (SQLite's own default is another text form)
  await q.run(
    `INSERT INTO audit_entry (at, actor_type, actor_id, actor_name, address, action, subject_type, subject, detail)
     VALUES ${rows.map(() => `(${nowTimestampSql(q.dialect)}, ?, ?, ?, ?, ?, ?, ?, ?)`).join(", ")}`,
    rows.flatMap((r) => [r.actorType, r.actorId, r.actorName, r.address, r.action, r.subjectType, r.subject, r.detail]),
  );
}
