// The audit log as a CSV (the /audit page's download): the entries its
// filters find, newest first, read a page at a time by the same keyset.
// The download is itself audited ("audit_exported", with the filters and the
// rows taken).
import "server-only";
import { csvLine } from "../csv/csv-line";
import type { Db } from "../db/client";
import { byOrSystem, type AuditBy } from "./audit-actor";
import { auditQueryParams, type AuditQuery } from "./audit-query";
import { auditedExport, pageChunks, type ExportPage } from "./audited-export";
import { listAudit } from "./list-audit";

const EXPORT_PAGE = 1000;
const HEADER = ["id", "at", "actor_type", "actor", "address", "action", "subject_type", "subject", "detail"];

export function exportAuditCsv(d: Db, query: AuditQuery, by?: AuditBy): AsyncGenerator<string, void, undefined> {
  const filters = auditQueryParams({ ...query, cursor: undefined }).toString();
  return auditedExport(d, auditPages(d, query), (rows, complete) => ({
    ...byOrSystem(by),
    action: "audit_exported",
    detail: { filters, rows, complete },
  }));
}

async function* auditPages(d: Db, query: AuditQuery): AsyncGenerator<ExportPage, void, undefined> {
  let head = csvLine(HEADER);
  let cursor: number | undefined;
  do {
    const page = await listAudit(d, { ...query, cursor }, EXPORT_PAGE);
    const lines = page.entries.map((e) =>
      csvLine([String(e.id), e.at.toISOString(), e.actorType, e.actorName, e.address ?? "", e.action, e.subjectType ?? "", e.subject ?? "", Object.keys(e.detail).length ? JSON.stringify(e.detail) : ""]),
    );
    yield* pageChunks(head, lines);
    head = "";
    cursor = page.next ?? undefined;
  } while (cursor !== undefined);
}
