// The members export (contract: "Member search and export"): every member a
// search finds, as a CSV this importer reads back unchanged. Header: the
// upsert's column names, then every custom field by slug; an absent value is
// an empty cell (which an import leaves as it is), a flag true/false, a float
// or date as stored. Streamed a page at a time by the list's own keyset, so
// memory stays flat whatever the size. The sort is the list's: a member whose
// sort key (name, updated_at) changes while the file is read may be missed or
// written twice; in external_id order (the API's) none is.
import "server-only";
import { byOrSystem, type AuditBy } from "../audit/audit-actor";
import { auditedExport, pageChunks, type ExportPage } from "../audit/audited-export";
import type { Db } from "../db/client";
import { csvLine } from "../csv/csv-line";
import { ATTRIBUTE_KEYS, BUILTIN_KEYS } from "../fields";
import { customSlugs } from "./get-target";
import { memberQueryParams, type MemberQuery } from "./member-query";
import { planMembers, readPage, type ListedMember } from "./search-targets";

/** Members read per query: the list's keyset beyond its page limit, which bounds a screen, not a file. */
const EXPORT_PAGE = 1000;
/** Tells spreadsheets the file is UTF-8, so accents (Siân, Łukasz) open as written. */
const BOM = "\uFEFF";

const cell = (v: string | number | boolean | null | undefined) => (v === null || v === undefined ? "" : String(v));

function memberCells(m: ListedMember, slugs: readonly string[]): string[] {
  // own values only: a slug such as "constructor" must not find Object's
  return [m.externalId, ...ATTRIBUTE_KEYS.map((k) => cell(m.attrs[k])), ...slugs.map((s) => cell(Object.hasOwn(m.custom, s) ? m.custom[s] : null))];
}

/**
 * The CSV text, a page of lines a chunk; the first chunk starts with the BOM
 * and the header. The query's cursor and limit are ignored: the file holds
 * every member found. A bad filter (an unknown custom field or import) throws
 * from the first `next()`, before any text, so an edge can still answer 400.
 * The audit log gets one entry when the file ends, or is left unread (the
 * client went away): the search and filters, and the rows taken.
 */
export function exportMembersCsv(d: Db, query: MemberQuery, by?: AuditBy): AsyncGenerator<string, void, undefined> {
  const search = memberQueryParams({ ...query, cursor: undefined, limit: undefined }).toString();
  return auditedExport(d, memberPages(d, query), (rows, complete) => ({
    ...byOrSystem(by),
    action: "members_exported",
    detail: { search, rows, complete },
  }));
}

async function* memberPages(d: Db, query: MemberQuery): AsyncGenerator<ExportPage, void, undefined> {
  const slugs = await customSlugs(d);
  let head = BOM + csvLine([...BUILTIN_KEYS, ...slugs]);
  // planned once (conditions weighed, counted): every page is read the same way
  const plan = await planMembers(d, query);
  let cursor: string | undefined;
  do {
    const page = await readPage(d, plan, { ...query, cursor, limit: EXPORT_PAGE });
    const lines = page.members.map((m) => csvLine(memberCells(m, slugs)));
    yield* pageChunks(head, lines);
    head = "";
    cursor = page.next ?? undefined;
  } while (cursor !== undefined);
}
