// The members list (decision 025): a search, filters and a sort, read a page
// at a time after a keyset cursor, never an offset, so page 2,000 costs what
// page 1 does. Every condition is a range or an equality on an indexed
// column the writes keep (lib/targets/search-columns.ts), compared in code
// point order on both databases, so both give the same members in the same
// order. The API's list, the members page and the CSV export all read here.
import "server-only";
import type { Db } from "../db/client";
import type { Params, SqlQuery } from "../db/sql-conn";
import { env } from "../env";
import { AppError } from "../errors";
import { SUBSCRIPTION_KEYS } from "../fields";
import { phoneNumberOf } from "../records/normalise-record";
import { COUNT_LIMIT, type MemberQuery, type MemberSort } from "./member-query";
import { flagCodesWith } from "./search-columns";
import { foldForSearch, prefixUpperBound } from "./search-fold";
import { rowToTarget } from "./target-store";
import type { TargetState } from "./target-state";

type Where = { sql: string[]; params: unknown[] };

/** The sort's columns, the last one always the id (unique), so every row has its own place. */
const SORT_COLUMNS: Readonly<Record<MemberSort, readonly string[]>> = {
  external_id: ["external_id"],
  name: ["search_last", "search_first", "external_id"],
  updated_at: ["updated_at", "external_id"],
};

/** A stored member as the list shows it: its state and the columns its place in the sort is read from. */
export type ListedMember = TargetState & { createdAt: string; updatedAt: string };
export type MemberPage = { members: ListedMember[]; next: string | null };

function prefixOf(column: string, folded: string, w: Where): string {
  const upper = prefixUpperBound(folded);
  if (upper === null) {
    w.params.push(folded, folded);
    return `(${column} >= ? AND substr(${column}, 1, ${[...folded].length}) = ?)`;
  }
  w.params.push(folded, upper);
  return `(${column} >= ? AND ${column} < ?)`;
}

/** `q`: a prefix of the id, a name or the email (case and accents aside), or the same phone number. */
function searchCondition(q: string, w: Where): string | null {
  const folded = foldForSearch(q.trim());
  if (folded === "") return null;
  // the id and email are searched as stored where folding leaves them alone, else by their folded copies
  const parts = ["external_id", "search_id", "search_first", "search_last", "email", "search_email"].map((c) => prefixOf(c, folded, w));
  const phone = /\d/.test(q) ? phoneNumberOf(q, env().DEFAULT_PHONE_REGION) : null;
  if (phone) {
    parts.push("phone_number = ?");
    w.params.push(phone);
  }
  return `(${parts.join(" OR ")})`;
}

async function customCondition(q: SqlQuery, d: Db, filter: NonNullable<MemberQuery["custom"]>, w: Where): Promise<string> {
  const field = await d.prisma.customField.findUnique({ where: { slug: filter.slug } });
  if (!field) throw new AppError("invalid_payload", `There is no custom field ${filter.slug}`);
  const text = q.dialect === "postgresql" ? "(custom::jsonb ->> ?)" : "json_extract(custom, ?)";
  const key = q.dialect === "postgresql" ? filter.slug : `$."${filter.slug}"`;
  if (field.kind === "text") {
    if (filter.eq === undefined) throw new AppError("invalid_payload", `${field.label} is text: filter it by a value`);
    w.params.push(key, filter.eq);
    return `${text} = ?`;
  }
  if (filter.eq !== undefined) throw new AppError("invalid_payload", `${field.label} is a ${field.kind}: filter it by a range`);
  const value = field.kind === "float" ? (q.dialect === "postgresql" ? "(custom::jsonb ->> ?)::float8" : text) : text;
  const bound = (end: string | undefined, op: string) => {
    if (end === undefined) return [];
    if (field.kind === "float" && !Number.isFinite(Number(end))) throw new AppError("invalid_payload", `${end} is not a number`);
    if (field.kind === "date" && !/^\d{4}-\d{2}-\d{2}$/.test(end)) throw new AppError("invalid_payload", `${end} is not a date (YYYY-MM-DD)`);
    w.params.push(key, field.kind === "float" ? Number(end) : end);
    return [`${value} ${op} ?`];
  };
  return [...bound(filter.min, ">="), ...bound(filter.max, "<=")].join(" AND ");
}

/** Everything but the cursor: the same for the page and its count. */
async function filterOf(d: Db, query: MemberQuery): Promise<Where> {
  const q = d.sql;
  const w: Where = { sql: [], params: [] };
  const search = query.q === undefined ? null : searchCondition(query.q, w);
  if (search) w.sql.push(search);
  if (SUBSCRIPTION_KEYS.some((k) => query.flags[k] !== undefined)) w.sql.push(`flag_code IN (${flagCodesWith(query.flags).join(", ")})`);
  if (query.custom) w.sql.push(await customCondition(q, d, query.custom, w));
  if (query.changedBy !== undefined) {
    const job = await q.get<{ seq: number | null }>("SELECT seq FROM import_job WHERE id = ?", [query.changedBy]);
    if (!job) throw new AppError("invalid_payload", `There is no import ${query.changedBy}`);
    w.sql.push("external_id IN (SELECT external_id FROM target_change WHERE job_seq = ?)");
    w.params.push(job.seq ?? -1);
  }
  return w;
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

/** updated_at as text that sorts as it does (SQLite keeps ISO text; PostgreSQL a timestamp). */
function sortKeySql(q: SqlQuery, column: string): string {
  return column === "updated_at" && q.dialect === "postgresql" ? `to_char(updated_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS k_updated_at` : column;
}

function keysetCondition(q: SqlQuery, sort: MemberSort, dir: "asc" | "desc", values: readonly string[], w: Where): string {
  const columns = SORT_COLUMNS[sort];
  const marks = columns.map((c) => (c === "updated_at" && q.dialect === "postgresql" ? "?::timestamp(3)" : "?"));
  w.params.push(...values);
  return `(${columns.join(", ")}) ${dir === "asc" ? ">" : "<"} (${marks.join(", ")})`;
}

/** A page of members after the cursor, and the cursor of the next page (null: the last). */
export async function searchMembers(d: Db, query: MemberQuery): Promise<MemberPage> {
  const q = d.sql;
  const w = await filterOf(d, query);
  const columns = SORT_COLUMNS[query.sort];
  if (query.cursor !== undefined) w.sql.push(keysetCondition(q, query.sort, query.dir, decodeCursor(query.cursor, query.sort), w));
  const order = columns.map((c) => `${c} ${query.dir.toUpperCase()}`).join(", ");
  const extra = columns.filter((c) => c !== "external_id").map((c) => sortKeySql(q, c));
  const rows = await q.all(
    `SELECT *${extra.length ? `, ${extra.join(", ")}` : ""} FROM target ${w.sql.length ? `WHERE ${w.sql.join(" AND ")}` : ""} ORDER BY ${order} LIMIT ?`,
    [...w.params, query.limit + 1] as Params,
  );
  const more = rows.length > query.limit;
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  const keyOf = (row: Record<string, unknown>, c: string) => String(c === "updated_at" && q.dialect === "postgresql" ? row.k_updated_at : row[c]);
  return {
    members: page.map((row) => ({ ...rowToTarget(row), createdAt: isoOf(row.created_at), updatedAt: isoOf(row.updated_at) })),
    next: more && last ? encodeCursor(columns.map((c) => keyOf(last, c))) : null,
  };
}

/** How many members the search and filters find, exact up to COUNT_LIMIT (`more`: there are more than that). */
export async function countMembers(d: Db, query: MemberQuery): Promise<{ count: number; more: boolean }> {
  const w = await filterOf(d, query);
  const row = await d.sql.get<{ n: number }>(
    `SELECT count(*) AS n FROM (SELECT 1 FROM target ${w.sql.length ? `WHERE ${w.sql.join(" AND ")}` : ""} LIMIT ${COUNT_LIMIT + 1}) AS found`,
    w.params as Params,
  );
  const n = Number(row?.n ?? 0);
  return { count: Math.min(n, COUNT_LIMIT), more: n > COUNT_LIMIT };
}

export function isoOf(v: unknown): string {
  return v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString();
}
