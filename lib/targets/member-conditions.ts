// The members list's conditions (decisions 025, 026): the search, the flags,
// a custom field and "changed by import", each written twice, for the
// planner to read through its index or to check row by row, so that the
// plans in lib/targets/search-targets.ts can choose which one drives.
import "server-only";
import type { Db } from "../db/client";
import type { Dialect } from "../db/dialect";
import { env } from "../env";
import { AppError } from "../errors";
import { customValueSql } from "../custom-fields/filter-indexes";
import { SUBSCRIPTION_KEYS, type CustomFieldKind } from "../fields";
import { phoneNumberOf } from "../records/normalise-record";
import type { MemberQuery } from "./member-query";
import { flagCodesWith } from "./search-columns";
import { foldForSearch, prefixUpperBound } from "./search-fold";

/**
 * A condition written twice: `indexed` lets the database use the column's
 * index; `residual` hides the column from the planner (SQLite's unary +,
 * an expression on PostgreSQL), so it is only checked on rows found otherwise.
 */
export type Condition = {
  indexed: string;
  residual: string;
  params: unknown[];
  indexable: boolean;
  from?: string;
  /** The search's ORs one by one: one of them past COUNT_LIMIT is enough to know the search is. */
  branches?: Branch[];
  /** Counted through its index only if the planner is told to (a filterable custom field's range). */
  needsIndexHint?: boolean;
  /** Weighed against the others by this count instead (its own rows, without reading the members). */
  weighedBy?: { from: string; sql: string };
  /**
   * Its residual reads only what the search's indexes hold: the id
   * ("everywhere"), or flag_code, which only PostgreSQL's hold (decision 036).
   */
  searchIndexed?: "everywhere" | "postgresql";
  /**
   * "Changed by import" of a finished import (not an undo, not a dry run)
   * whose history is kept: its seq. Each member it changed is then either
   * one it was the last to write, or one a later job has written since
   * (decision 036).
   */
  lastWriter?: number;
};
export type Column = (name: string) => string;
/** One OR of a search: a prefix range (or a phone number) on one column. */
export type Branch = { column: string; sql: string; params: unknown[] };

/** A column of target, named so also where it is joined with target_change. */
export const plain: Column = (c) => `target.${c}`;

export function hidden(dialect: Dialect): Column {
  if (dialect === "sqlite") return (c) => `+target.${c}`;
  return (c) => (c === "flag_code" ? `(target.${c} + 0)` : c === "updated_at" ? `(target.${c} + interval '0 seconds')` : `(target.${c} || '')`);
}

function condition(dialect: Dialect, write: (col: Column) => string, params: unknown[]): Condition {
  return { indexed: write(plain), residual: write(hidden(dialect)), params, indexable: true };
}

function prefixOf(col: Column, column: string, folded: string, params: unknown[]): string {
  const upper = prefixUpperBound(folded);
  if (upper === null) {
    params.push(folded, folded);
    return `(${col(column)} >= ? AND substr(${col(column)}, 1, ${[...folded].length}) = ?)`;
  }
  params.push(folded, upper);
  return `(${col(column)} >= ? AND ${col(column)} < ?)`;
}

/** `q`: a prefix of the id, a name or the email (case and accents aside), or the same phone number. */
function searchCondition(dialect: Dialect, q: string): Condition | null {
  const folded = foldForSearch(q.trim());
  if (folded === "") return null;
  const phone = /\d/.test(q) ? phoneNumberOf(q, env().DEFAULT_PHONE_REGION) : null;
  const branchesOf = (col: Column) => {
    // the id and email are searched as stored where folding leaves them alone (an
    // id in capitals by the query in capitals), else by their folded copies
    const out: Branch[] = ["external_id", "search_id", "search_first", "search_last", "email", "search_email"].map((c) => {
      const params: unknown[] = [];
      return { column: c, sql: prefixOf(col, c, folded, params), params };
    });
    const upper = folded.toUpperCase();
    if (upper !== folded) {
      const params: unknown[] = [];
      out.push({ column: "external_id", sql: prefixOf(col, "external_id", upper, params), params });
    }
    if (phone) out.push({ column: "phone_number", sql: `${col("phone_number")} = ?`, params: [phone] });
    return out;
  };
  const branches = branchesOf(plain);
  const or = (parts: { sql: string }[]) => `(${parts.map((b) => b.sql).join(" OR ")})`;
  return { indexed: or(branches), residual: or(branchesOf(hidden(dialect))), params: branches.flatMap((b) => b.params), indexable: true, branches };
}

async function customCondition(d: Db, filter: NonNullable<MemberQuery["custom"]>): Promise<Condition> {
  const field = await d.prisma.customField.findUnique({ where: { slug: filter.slug } });
  if (!field) throw new AppError("invalid_payload", `There is no custom field ${filter.slug}`);
  const kind = field.kind as CustomFieldKind;
  // the value as its filter index (decision 027) holds it, the slug written in: a parameter would not match the index
  const value = customValueSql(d.sql.dialect, { slug: field.slug, kind });
  const params: unknown[] = [];
  let write: (v: string) => string;
  if (kind === "text") {
    if (filter.eq === undefined) throw new AppError("invalid_payload", `${field.label} is text: filter it by a value`);
    params.push(filter.eq);
    write = (v) => `${v} = ?`;
  } else {
    if (filter.eq !== undefined) throw new AppError("invalid_payload", `${field.label} is a ${field.kind}: filter it by a range`);
    const bound = (end: string | undefined, op: string) => {
      if (end === undefined) return [];
      if (kind === "float" && !Number.isFinite(Number(end))) throw new AppError("invalid_payload", `${end} is not a number`);
      if (kind === "date" && !/^\d{4}-\d{2}-\d{2}$/.test(end)) throw new AppError("invalid_payload", `${end} is not a date (YYYY-MM-DD)`);
      params.push(kind === "float" ? Number(end) : end);
      return [op];
    };
    const ops = [...bound(filter.min, ">="), ...bound(filter.max, "<=")];
    write = (v) => ops.map((op) => `${v} ${op} ?`).join(" AND ");
  }
  // without a ready index the value is read row by row (decision 025)
  return { indexed: write(value.indexed), residual: write(value.residual), params, indexable: field.filterable && field.filterIndexReady, needsIndexHint: true };
}

/** Everything but the cursor: the same for the page and its count. */
export async function conditionsOf(d: Db, query: MemberQuery): Promise<Condition[]> {
  const dialect = d.sql.dialect;
  const out: Condition[] = [];
  const search = query.q === undefined ? null : searchCondition(dialect, query.q);
  if (search) out.push(search);
  if (SUBSCRIPTION_KEYS.some((k) => query.flags[k] !== undefined)) {
    out.push({ ...condition(dialect, (col) => `${col("flag_code")} IN (${flagCodesWith(query.flags).join(", ")})`, []), searchIndexed: "postgresql" });
  }
  if (query.custom) out.push(await customCondition(d, query.custom));
  if (query.changedBy !== undefined) {
    const job = await d.sql.get<FilterJob>(
      "SELECT seq, status, reverts, dry_run, finished_at, details_purged_at FROM import_job WHERE id = ?",
      [query.changedBy],
    );
    if (!job) throw new AppError("invalid_payload", `There is no import ${query.changedBy}`);
    const seq = job.seq ?? -1;
    out.push({ ...importCondition(seq), lastWriter: lastWriterOf(job) });
  }
  return out;
}

/** The job "changed by import" names, as read for the filter. */
type FilterJob = { seq: number | null; status: string; reverts: string | null; dry_run: unknown; finished_at: unknown; details_purged_at: unknown };

/** Rows of target_change: the job's, checked per member, or walked when they drive. */
function importCondition(seq: number): Condition {
  return {
    // driving, the job's rows are walked in id order and each member looked up
    from: "target_change AS c JOIN target ON target.external_id = c.external_id",
    indexed: "c.job_seq = ?",
    residual: "EXISTS (SELECT 1 FROM target_change c WHERE c.job_seq = ? AND c.external_id = target.external_id)",
    params: [seq],
    indexable: true,
    // the job's rows alone: a member's row is deleted with the member (erasure),
    // and a member an undo removed may still count here, which only weighs it
    weighedBy: { from: "target_change AS c", sql: "c.job_seq = ?" },
    searchIndexed: "everywhere",
  };
}

/**
 * The job's seq if its members' last writer may stand for it (decision 036):
 * a finished import, not an undo (which leaves some members' last writer as
 * it was) nor a dry run; and within retention, so no later job's rows have
 * been purged (jobs finish in seq order) and none of its own.
 */
function lastWriterOf(job: FilterJob): number | undefined {
  if (job.seq === null || job.status !== "ready" || job.reverts !== null || Number(job.dry_run) || job.details_purged_at !== null || job.finished_at === null) return undefined;
  const retainedSince = Date.now() - env().RETENTION_DAYS * 86_400_000;
  return new Date(job.finished_at as string | Date).getTime() >= retainedSince ? job.seq : undefined;
}

