// An export the audit log records once it ends: the whole file sent, or the
// reader gone part-way (the generator is returned). The row count is known
// only then, so the entry is written then, with the rows the reader took.
import "server-only";
import type { Db } from "../db/client";
import type { AuditEvent } from "./audit-entry";
import { recordAudit } from "./record-audit";

export type ExportPage = { text: string; rows: number };

/**
 * Characters a chunk of text holds, about: a page of a thousand lines as one
 * string (100–500 KB) is a large object, which V8 keeps until its next full
 * collection, so an export of a million rows piled its pages up in the heap
 * until then (docs/performance.md).
 */
const CHUNK_CHARS = 16 * 1024;

/** A page's lines as chunks of text, `head` (the header, on the first page) before the first; one chunk when there are none. */
export function* pageChunks(head: string, lines: readonly string[]): Generator<ExportPage, void, undefined> {
  let text = head;
  let rows = 0;
  for (const line of lines) {
    text += line;
    rows++;
    if (text.length >= CHUNK_CHARS) {
      yield { text, rows };
      text = "";
      rows = 0;
    }
  }
  if (rows > 0 || lines.length === 0) yield { text, rows };
}

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
