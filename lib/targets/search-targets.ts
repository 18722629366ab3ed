// The members list (decision 025): a search, filters and a sort, read a page
// at a time after a keyset cursor, never an offset, so page 2,000 costs what
// page 1 does. Every condition is a range or an equality on an indexed
// column the writes keep (lib/targets/search-columns.ts), compared in code
// point order on both databases, so both give the same members in the same
// order. The API's list, the members page and the CSV export all read here.
//
// Neither database's planner can tell a search that finds twelve members
// from one that finds two hundred thousand sorting last, so the plan is
// chosen here (decision 026), from the capped count the page shows anyway:
// - at most COUNT_LIMIT members found: they are read through the most
//   selective condition's index and sorted (a few thousand rows at most);
// - more: the sort's own index is walked from the cursor for a bounded
//   window, the conditions checked on each row; if the window holds too few,
//   the first plan after all.
import "server-only";
import type { Db } from "../db/client";
import type { Params, SqlConn, SqlQuery } from "../db/sql-conn";
import { AppError } from "../errors";
import { ATTRIBUTE_KEYS } from "../fields";
import { conditionsOf, hidden, plain, type Branch, type Column, type Condition } from "./member-conditions";
import { COUNT_LIMIT, type MemberQuery, type MemberSort } from "./member-query";
import { rowToTarget } from "./target-store";
import type { TargetState } from "./target-state";

/** The sort's columns, the last one always the id (unique), so every row has its own place. */
const SORT_COLUMNS: Readonly<Record<MemberSort, readonly string[]>> = {
  external_id: ["external_id"],
  name: ["search_last", "search_first", "external_id"],
  updated_at: ["updated_at", "external_id"],
};
/**
 * SQLite: the index a sort's walk must take. Without statistics its planner
 * would rather read the whole table and sort it than walk an index. (The
 * primary key serves external_id as is; the name index holds the whole
 * name order, so a common surname's members come in order too.)
 */
const SQLITE_SORT_INDEX: Readonly<Record<MemberSort, string>> = {
  external_id: "",
  name: " INDEXED BY target_search_last_search_first_external_id_idx",
  updated_at: " INDEXED BY target_updated_at_idx",
};
/** Rows of the sort's index walked at most before a dense search falls back to its indexes. */
const WINDOW = 8_000;

/** A stored member as the list shows it. */
export type ListedMember = TargetState & { createdAt: string; updatedAt: string };
export type MemberPage = { members: ListedMember[]; next: string | null };
export type MemberCount = { count: number; more: boolean };

/**
 * The conditions as SQL: FROM and WHERE with the driving condition's index,
 * and WHERE with none (for a walk). `byBranch`: the search drives and the
 * others read only what its indexes hold, so it is counted OR by OR
 * (decisions 035, 036).
 */
type Where = { from: string; sql: string; params: unknown[]; residual: string; branches?: Condition["branches"]; byBranch?: ByBranch };
/** A search's ORs, each to be read with the other conditions (their residual SQL). */
type ByBranch = {
  branches: Branch[];
  sizes?: number[];
  /** The whole search, to check on a row. */
  search: Sql;
  /** The other conditions' residual SQL, read from each OR's index. */
  others: Sql;
  /** PostgreSQL (decision 036): the import's seq, and the other conditions but the import. */
  lastWriter?: { seq: number; rest: Sql };
};
type Sql = { sql: string; params: unknown[] };
const and = (...parts: Sql[]): Sql => ({ sql: parts.map((p) => p.sql).filter(Boolean).join(" AND "), params: parts.flatMap((p) => p.params) });
/** A count, and the ids it found when they are at most COUNT_LIMIT (the page is then read from them). */
type Counted = { count: MemberCount; ids?: string[] };
/** More than COUNT_LIMIT: the page says "10,000+". */
const MANY: Counted = { count: { count: COUNT_LIMIT, more: true } };

/** `SELECT count(*)` of the rows that meet `where`, stopping past COUNT_LIMIT. */
async function cappedCount(q: SqlQuery, from: string, where: string, params: unknown[]): Promise<number> {
  const row = await q.get<{ n: number }>(`SELECT count(*) AS n FROM (SELECT 1 FROM ${from}${where ? ` WHERE ${where}` : ""} LIMIT ${COUNT_LIMIT + 1}) AS found`, params as Params);
  return Number(row?.n ?? 0);
}

/** Each OR's capped count, through its own index (PostgreSQL: all at once, on connections of their own). */
async function branchSizes(q: SqlQuery, branches: readonly Branch[]): Promise<number[]> {
  return Promise.all(branches.map((b) => cappedCount(q, "target", b.sql, b.params)));
}

/**
 * A search with other conditions, counted OR by OR (decision 035): each
 * OR's members that meet the others, read through an index that holds the
 * id (so checking "changed by import" reads no member's row), up to one past
 * COUNT_LIMIT each, largest OR first; it stops as soon as one OR, or all read
 * so far together, find more than COUNT_LIMIT. One OR statement instead
 * would read every match's row, and a UNION of them dedupe every match
 * before the first could count.
 */
async function countByBranch(q: SqlQuery, by: ByBranch): Promise<Counted> {
  const sizes = by.sizes ?? (await branchSizes(q, by.branches));
  // stable: ORs past the cap alike stay in their order (names before email)
  const order = by.branches.map((b, i) => ({ b, size: sizes[i] })).filter((x) => x.size > 0).sort((x, y) => y.size - x.size);
  const ids = new Set<string>();
  const more = (rows: { external_id: string }[]) => {
    for (const r of rows) ids.add(r.external_id);
    return ids.size > COUNT_LIMIT;
  };
  const lastWriter = by.lastWriter && (await fewWrittenSince(q, by.lastWriter.seq)) ? by.lastWriter : undefined;
  // the import's members whose last writer it is are told by the search's indexes alone
  const check = lastWriter ? and({ sql: "target.last_job_seq = ?", params: [lastWriter.seq] }, lastWriter.rest) : by.others;
  // one after the other, so that a dense OR spares reading the rest
  for (const { b } of order) {
    const rows = await q.all<{ external_id: string }>(
      `SELECT target.external_id AS external_id FROM target WHERE ${b.sql}${check.sql ? ` AND ${check.sql}` : ""} LIMIT ${COUNT_LIMIT + 1}`,
      [...b.params, ...check.params] as Params,
    );
    if (more(rows)) return MANY;
  }
  // after them, so that a member a running job writes meanwhile is found one way or the other
  if (lastWriter && more(await writtenSince(q, and(by.search, lastWriter.rest), lastWriter.seq))) return MANY;
  return { count: { count: ids.size, more: false }, ids: [...ids] };
}

/** Rows of later jobs read at most to find an import's members written again since (more: 035's probe instead). */
const LATER_LIMIT = 20_000;

/** Whether the jobs after import `seq` wrote few enough rows to be read for decision 036's second half. */
async function fewWrittenSince(q: SqlQuery, seq: number): Promise<boolean> {
  const later = await q.get<{ n: number }>(`SELECT count(*) AS n FROM (SELECT 1 FROM target_change WHERE job_seq > ? LIMIT ${LATER_LIMIT + 1}) AS later`, [seq]);
  return Number(later?.n ?? 0) <= LATER_LIMIT;
}

/**
 * Decision 036: of the members import `seq` changed, those a later job has
 * written since (so their last writer is another) that `found` (the search
 * and any other condition) finds, from the later jobs' rows.
 */
async function writtenSince(q: SqlQuery, found: Sql, seq: number): Promise<{ external_id: string }[]> {
  return q.all<{ external_id: string }>(
    `SELECT DISTINCT target.external_id AS external_id
       FROM target_change later
       JOIN target_change c ON c.job_seq = ? AND c.external_id = later.external_id
       JOIN target ON target.external_id = later.external_id
      WHERE later.job_seq > ? AND target.last_job_seq IS DISTINCT FROM ? AND ${found.sql}`,
    [seq, seq, seq, ...found.params] as Params,
  );
}

/** The members among `ids` as a driving condition (their primary key). */
function among(q: SqlQuery, ids: readonly string[]): Where {
  const sql =
    q.dialect === "postgresql"
      ? "target.external_id = ANY(ARRAY(SELECT json_array_elements_text(?::json)))"
      : "target.external_id IN (SELECT value FROM json_each(?))";
  return { from: "target", sql, params: [JSON.stringify(ids)], residual: sql };
}

/**
 * The conditions as one WHERE clause that only the most selective one can
 * use an index for (judged by each one's capped count when there are two or
 * more), so neither planner starts from a common flag to find a rare name.
 */
async function whereOf(q: SqlQuery, conditions: readonly Condition[]): Promise<Where> {
  const indexable = conditions.filter((c) => c.indexable);
  let driver = indexable[0];
  let sizes: number[] | undefined;
  if (indexable.length > 1) {
    // a search weighs what its ORs find together at most: each OR's count
    // reads its own index alone, where the OR statement reads rows
    const counts = await Promise.all(
      indexable.map(async (c) => {
        if (!c.branches) return cappedCount(q, c.weighedBy?.from ?? c.from ?? "target", c.weighedBy?.sql ?? c.indexed, c.params);
        sizes = await branchSizes(q, c.branches);
        return Math.min(COUNT_LIMIT + 1, sizes.reduce((a, b) => a + b, 0));
      }),
    );
    driver = indexable[counts.indexOf(Math.min(...counts))];
  }
  const others = conditions.filter((c) => c !== driver);
  return {
    from: driver?.from ?? "target",
    sql: conditions.map((c) => (c === driver ? c.indexed : c.residual)).join(" AND "),
    params: conditions.flatMap((c) => c.params),
    residual: conditions.map((c) => c.residual).join(" AND "),
    branches: conditions.length === 1 ? conditions[0].branches : undefined,
    byBranch: driver?.branches && others.length > 0 && others.every((c) => fromSearchIndexes(q, c)) ? byBranchOf(q, driver, sizes, others) : undefined,
  };
}

/** Whether a condition can be checked on the entries of the search's indexes, on this database. */
function fromSearchIndexes(q: SqlQuery, c: Condition): boolean {
  return c.searchIndexed === "everywhere" || (c.searchIndexed === "postgresql" && q.dialect === "postgresql");
}

function byBranchOf(q: SqlQuery, search: Condition, sizes: number[] | undefined, others: Condition[]): ByBranch {
  const residual = (c: Condition): Sql => ({ sql: c.residual, params: c.params });
  const changedBy = q.dialect === "postgresql" ? others.find((c) => c.lastWriter !== undefined) : undefined;
  return {
    branches: search.branches ?? [],
    sizes,
    search: residual(search),
    others: and(...others.map(residual)),
    lastWriter: changedBy?.lastWriter === undefined ? undefined : { seq: changedBy.lastWriter, rest: and(...others.filter((c) => c !== changedBy).map(residual)) },
  };
}

function encodeCursor(values: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString("base64url");
}

function decodeCursor(cursor: string, sort: MemberSort): string[] {
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    values = null;
  }
  if (!Array.isArray(values) || values.length !== SORT_COLUMNS[sort].length || !values.every((v) => typeof v === "string")) {
    throw new AppError("invalid_payload", "The cursor is not one this list gave (it belongs to another sort, or was changed)");
  }
  return values as string[];
}

function orderOf(query: MemberQuery): string {
  return SORT_COLUMNS[query.sort].map((c) => `${c} ${query.dir.toUpperCase()}`).join(", ");
}

/** The rows after the cursor, over plain or hidden columns. */
function keysetOf(q: SqlQuery, query: MemberQuery, col: Column): { sql: string | null; params: string[] } {
  if (query.cursor === undefined) return { sql: null, params: [] };
  const columns = SORT_COLUMNS[query.sort];
  const values = decodeCursor(query.cursor, query.sort);
  const marks = columns.map((c) => (c === "updated_at" && q.dialect === "postgresql" ? "?::timestamp(3)" : "?"));
  return { sql: `(${columns.map(col).join(", ")}) ${query.dir === "asc" ? ">" : "<"} (${marks.join(", ")})`, params: values };
}

/** updated_at as text that sorts as it does (SQLite keeps ISO text; PostgreSQL a timestamp). */
function sortKeysSql(q: SqlQuery, sort: MemberSort): string {
  return SORT_COLUMNS[sort]
    .map((c) => (c === "updated_at" && q.dialect === "postgresql" ? `to_char(target.updated_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS updated_at` : `target.${c} AS ${c}`))
    .join(", ");
}

/**
 * What the conditions read: a walk or a sort carries these, not whole rows
 * (the custom values' JSON only when a condition reads it).
 */
function searchedColumns(query: MemberQuery): string {
  const columns = new Set(["external_id", "search_id", "search_first", "search_last", "email", "search_email", "phone_number", "flag_code", "updated_at"]);
  if (query.custom) columns.add("custom");
  return [...columns].join(", ");
}

type Found = { external_id: string } & Record<string, unknown>;

/** What a listed member is made of (not the search columns: the export reads a million rows). */
const LISTED_COLUMNS = ["external_id", ...ATTRIBUTE_KEYS, "custom", "last_job_seq", "created_at", "updated_at"].join(", ");

/** Built field by field: a spread copy of each of a million rows kept the export's RSS ~80 MB higher. */
export function listedMember(row: Record<string, unknown>): ListedMember {
  const t = rowToTarget(row);
  return { externalId: t.externalId, attrs: t.attrs, custom: t.custom, lastJobSeq: t.lastJobSeq, createdAt: isoOf(row.created_at), updatedAt: isoOf(row.updated_at) };
}

/** Few members: found through the driving index, then sorted (the CTE keeps the planner from walking the sort's index instead). */
async function sortedMatches(q: SqlQuery, query: MemberQuery, where: Where): Promise<Found[]> {
  const keyset = keysetOf(q, query, hidden(q.dialect));
  const conditions = [where.sql, keyset.sql].filter(Boolean).join(" AND ");
  return q.all<Found>(
    `WITH m AS MATERIALIZED (SELECT ${sortKeysSql(q, query.sort)} FROM ${where.from}${conditions ? ` WHERE ${conditions}` : ""})
     SELECT * FROM m ORDER BY ${orderOf(query)} LIMIT ?`,
    [...where.params, ...keyset.params, query.limit + 1] as Params,
  );
}

/** Many members: the sort's index walked from the cursor for at most WINDOW rows; null when that window is full and still short. */
async function windowMatches(q: SqlQuery, query: MemberQuery, where: Where): Promise<Found[] | null> {
  const keyset = keysetOf(q, query, plain);
  const order = orderOf(query);
  const after = `${q.dialect === "sqlite" ? SQLITE_SORT_INDEX[query.sort] : ""}${keyset.sql ? ` WHERE ${keyset.sql}` : ""}`;
  // the walk is a subquery with LIMIT, which both planners keep apart from
  // the conditions; named target, so the conditions read as they do elsewhere
  const walk = `SELECT ${searchedColumns(query)} FROM target${after} ORDER BY ${order} LIMIT ${WINDOW}`;
  const rows = await q.all<Found>(
    `SELECT ${sortKeysSql(q, query.sort)} FROM (${walk}) AS target${where.residual ? ` WHERE ${where.residual}` : ""} ORDER BY ${order} LIMIT ?`,
    [...keyset.params, ...where.params, query.limit + 1] as Params,
  );
  if (rows.length > query.limit) return rows;
  const beyond = await q.get(`SELECT 1 AS x FROM target${after} ORDER BY ${order} LIMIT 1 OFFSET ${WINDOW}`, keyset.params);
  return beyond ? null : rows;
}

const SURROGATE = /[\uD800-\uDFFF]/;
/** Code point order (SQLite's BINARY, PostgreSQL's "C"); JavaScript's < compares UTF-16 units, the same order unless a string holds a surrogate pair. */
function codePointCompare(a: string, b: string): number {
  if (!SURROGATE.test(a) && !SURROGATE.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** A page of ids in member-number order, after the cursor: sorted here, the ids being their own sort key. */
function idsInOrder(query: MemberQuery, ids: readonly string[]): Found[] {
  const sign = query.dir === "asc" ? 1 : -1;
  const after = query.cursor === undefined ? null : decodeCursor(query.cursor, query.sort)[0];
  return ids
    .filter((id) => after === null || sign * codePointCompare(id, after) > 0)
    .sort((a, b) => sign * codePointCompare(a, b))
    .slice(0, query.limit + 1)
    .map((id) => ({ external_id: id }));
}

/**
 * Sorted by name, a search that finds many whose matches all sort past the
 * walked window (a common surname): each OR is read on its own, the
 * last-name range in name order straight from the name index, every other OR
 * sorted if it finds at most COUNT_LIMIT, and the first page of their merge
 * kept. Null when another OR finds more than that too.
 */
async function branchMatches(q: SqlQuery, query: MemberQuery, conditions: readonly Condition[]): Promise<Found[] | null> {
  const search = conditions.find((c) => c.branches);
  if (query.sort !== "name" || !search?.branches) return null;
  const others = conditions.filter((c) => c !== search);
  const rest = { sql: others.map((c) => c.residual), params: others.flatMap((c) => c.params) };
  const found: Found[] = [];
  for (const b of search.branches) {
    const sql = [b.sql, ...rest.sql].join(" AND ");
    const params = [...b.params, ...rest.params];
    if (b.column === "search_last") {
      const keyset = keysetOf(q, query, plain);
      const index = q.dialect === "sqlite" ? SQLITE_SORT_INDEX.name : "";
      found.push(
        ...(await q.all<Found>(
          `SELECT ${sortKeysSql(q, query.sort)} FROM target${index} WHERE ${[sql, keyset.sql].filter(Boolean).join(" AND ")} ORDER BY ${orderOf(query)} LIMIT ?`,
          [...params, ...keyset.params, query.limit + 1] as Params,
        )),
      );
      continue;
    }
    if ((await cappedCount(q, "target", sql, params)) > COUNT_LIMIT) return null;
    found.push(...(await sortedMatches(q, query, { from: "target", sql, params, residual: sql })));
  }
  const seen = new Set<string>();
  const sign = query.dir === "asc" ? 1 : -1;
  return found
    .filter((f) => !seen.has(f.external_id) && seen.add(f.external_id))
    .sort((a, b) => sign * (codePointCompare(String(a.search_last), String(b.search_last)) || codePointCompare(String(a.search_first), String(b.search_first)) || codePointCompare(a.external_id, b.external_id)))
    .slice(0, query.limit + 1);
}

/** The page's members, read whole once they are found, in the order found. */
async function pageOf(q: SqlQuery, query: MemberQuery, found: Found[]): Promise<MemberPage> {
  const more = found.length > query.limit;
  const page = found.slice(0, query.limit);
  const ids = page.length === 0 ? null : among(q, page.map((f) => f.external_id));
  const rows = ids ? await q.all(`SELECT ${LISTED_COLUMNS} FROM target WHERE ${ids.sql}`, ids.params as Params) : [];
  const byId = new Map(rows.map((row) => [String(row.external_id), row]));
  // a member erased between finding and reading is left out of the page
  const members = page.flatMap((f) => {
    const row = byId.get(f.external_id);
    return row ? [listedMember(row)] : [];
  });
  const last = page[page.length - 1];
  return { members, next: more && last ? encodeCursor(SORT_COLUMNS[query.sort].map((c) => String(last[c]))) : null };
}

/** How a query's pages are read: its conditions, which one drives, and its count (which chose the plan), with the ids it found if few. */
export type MemberPlan = { conditions: Condition[]; where: Where; count: MemberCount; ids?: string[] };

/** Weighs the query's conditions and counts it: once for all its pages (the export reads a thousand). */
export async function planMembers(d: Db, query: MemberQuery): Promise<MemberPlan> {
  const conditions = await conditionsOf(d, query);
  return onTheirIndexes(d.sql, conditions, async (q) => {
    const where = await whereOf(q, conditions);
    return { conditions, where, ...(await countOf(q, where)) };
  });
}

/** A page of members after the query's cursor, and the cursor of the next page (null: the last). */
export async function readPage(d: Db, plan: MemberPlan, query: MemberQuery): Promise<MemberPage> {
  return onTheirIndexes(d.sql, plan.conditions, async (q) => pageOf(q, query, await foundBy(q, query, plan)));
}

/** The page's ids: sorted from the ids the count found, or by the plan the count chose. */
async function foundBy(q: SqlQuery, query: MemberQuery, plan: MemberPlan): Promise<Found[]> {
  if (plan.ids && !plan.count.more) {
    if (query.sort === "external_id") return idsInOrder(query, plan.ids);
    // thousands found: the sort's window most likely holds a page, for far less than reading each one's sort key
    const dense = plan.ids.length > COUNT_LIMIT / 4 ? await windowMatches(q, query, plan.where) : null;
    return dense ?? sortedMatches(q, query, among(q, plan.ids));
  }
  return matches(q, query, plan.conditions, plan.where, plan.count.more);
}

export async function searchMembers(d: Db, query: MemberQuery): Promise<MemberPage> {
  return readPage(d, await planMembers(d, query), query);
}

/** The page's ids by the plan the count chose (decision 026). */
async function matches(q: SqlQuery, query: MemberQuery, conditions: readonly Condition[], where: Where, more: boolean): Promise<Found[]> {
  if (!more) return sortedMatches(q, query, where);
  return (await windowMatches(q, query, where)) ?? (await branchMatches(q, query, conditions)) ?? (await sortedMatches(q, query, where));
}

/** A search alone: whether one of its ORs finds more than COUNT_LIMIT by itself (then the whole search does). */
async function aBranchOverLimit(q: SqlQuery, where: Where): Promise<boolean> {
  // each OR through its own index, stopping at the first past the limit
  // (PostgreSQL: all at once, on connections of their own)
  const branches = where.branches ?? [];
  if (q.dialect === "postgresql") {
    const counts = await Promise.all(branches.map((b) => cappedCount(q, "target", b.sql, b.params)));
    return counts.some((n) => n > COUNT_LIMIT);
  }
  for (const b of branches) {
    if ((await cappedCount(q, "target", b.sql, b.params)) > COUNT_LIMIT) return true;
  }
  return false;
}

async function countOf(q: SqlQuery, where: Where): Promise<Counted> {
  if (where.byBranch) return countByBranch(q, where.byBranch);
  if (await aBranchOverLimit(q, where)) return MANY;
  const n = await cappedCount(q, where.from, where.sql, where.params);
  return { count: { count: Math.min(n, COUNT_LIMIT), more: n > COUNT_LIMIT } };
}

/**
 * A first page and its count from one pass: the matches (up to one past
 * COUNT_LIMIT) found once, counted, and the first page sorted from them,
 * where counting and then sorting found them twice. No page when there are
 * more than COUNT_LIMIT: it is then read by the plan for many.
 */
async function countedFirstPage(q: SqlQuery, query: MemberQuery, where: Where): Promise<{ count: MemberCount; found?: Found[] }> {
  if (await aBranchOverLimit(q, where)) return MANY;
  const rows = await q.all<Found & { total: number }>(
    `WITH m AS MATERIALIZED (SELECT ${sortKeysSql(q, query.sort)} FROM ${where.from}${where.sql ? ` WHERE ${where.sql}` : ""} LIMIT ${COUNT_LIMIT + 1}),
          page AS (SELECT * FROM m ORDER BY ${orderOf(query)} LIMIT ?)
     SELECT n.total, page.* FROM (SELECT count(*) AS total FROM m) AS n LEFT JOIN page ON 1 = 1 ORDER BY ${SORT_COLUMNS[query.sort].map((c) => `page.${c} ${query.dir.toUpperCase()}`).join(", ")}`,
    [...where.params, query.limit + 1] as Params,
  );
  const total = Number(rows[0]?.total ?? 0);
  if (total > COUNT_LIMIT) return MANY;
  return { count: { count: total, more: false }, found: rows.filter((r) => r.external_id != null) };
}

/**
 * PostgreSQL, when a filterable custom field's index can drive: the
 * statements run with sequential scans priced out, in a transaction of their
 * own. Its planner otherwise counts a wide range of a custom value by reading
 * every row's JSON until 10,001 match, where the index stops there. (Not for
 * the others: a one-letter search counts faster by scanning than through
 * its seven indexes.)
 */
async function onTheirIndexes<T>(conn: SqlConn, conditions: readonly Condition[], fn: (q: SqlQuery) => Promise<T>): Promise<T> {
  if (conn.dialect !== "postgresql" || !conditions.some((c) => c.indexable && c.needsIndexHint)) return fn(conn);
  return conn.tx(async (q) => {
    await q.run("SET LOCAL enable_seqscan = off");
    return fn(q);
  });
}

/** The members page's request: the count, then the page read as the count says (a first page with at most COUNT_LIMIT matches: both at once). */
export async function listPage(d: Db, query: MemberQuery): Promise<{ page: MemberPage; count: MemberCount }> {
  const conditions = await conditionsOf(d, query);
  return onTheirIndexes(d.sql, conditions, async (q) => {
    const where = await whereOf(q, conditions);
    // one condition alone counts through its own indexes without reading a
    // row; two or more read each row the driver finds to check the others,
    // and may as well keep what the page needs
    const first = query.cursor === undefined && conditions.length > 1 && !where.byBranch ? await countedFirstPage(q, query, where) : null;
    if (first?.found) return { page: await pageOf(q, query, first.found), count: first.count };
    const counted = first ?? (await countOf(q, where));
    return { page: await pageOf(q, query, await foundBy(q, query, { conditions, where, ...counted })), count: counted.count };
  });
}

/** How many members the search and filters find, exact up to COUNT_LIMIT (`more`: there are more than that). */
export async function countMembers(d: Db, query: MemberQuery): Promise<MemberCount> {
  return (await planMembers(d, query)).count;
}

export function isoOf(v: unknown): string {
  return v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString();
}
