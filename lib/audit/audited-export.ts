// An export the audit log records once it ends: the whole file sent, or the
// reader gone part-way (the generator is returned). The row count is known
// only then, so the entry is written then, with the rows the reader took.
import "server-only";
import type { Db } from "../db/client";
import type { AuditEvent } from "./audit-entry";
import { recordAudit } from "./record-audit";

export type ExportPage = { text: string; rows: number };

/**
 * The pages' text, then one entry (`entryOf(rows, complete)`). A file that
 * fails before its first page (a bad filter: the edge answers 400) records
 * nothing: nothing was exported.
 */
export async function* auditedExport(
  d: Db,
  pages: AsyncGenerator<ExportPage, void, undefined>,
  entryOf: (rows: number, complete: boolean) => AuditEvent,
): AsyncGenerator<string, void, undefined> {
  const first = await pages.next();
  let rows = 0;
  let complete = false;
  try {
    for (let page = first; !page.done; page = await pages.next()) {
      yield page.value.text;
      rows += page.value.rows; // counted once the reader has taken them
    }
    complete = true;
  } finally {
    await pages.return(undefined);
    await recordAudit(d, entryOf(rows, complete));
  }
}
