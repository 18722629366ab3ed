// GET /api/deferred_results (contract: "Job listing"): the calling API
// user's jobs, the last accepted first, filtered by status or source and
// paged by a keyset on seq (decision 032). Two reads a page whatever its
// size: its ids from the (api_user_id, [status | source,] seq) indexes, then
// their rows; each item is made from its job row alone
// (deferredResultSummaryOf), so no page asks per job.
import "server-only";
import { z } from "zod";
import type { Db } from "../db/client";
import type { Dialect } from "../db/dialect";
import { pgText } from "../db/sql-conn";
import { parseInput } from "../invalid-payload";
import { singleParams } from "../query-params";
import { publicStatusSchema, STATUSES_OF } from "../vocabulary";
import { deferredResultSummaryOf, deferredResultSummarySchema } from "./deferred-result";

export const JOB_LIST_MAX = 100;
export const JOB_LIST_DEFAULT = 50;

/** A cursor: the seq of the page's last job, base64url, so that clients treat it as opaque. */
const encodeCursor = (seq: number) => Buffer.from(String(seq)).toString("base64url");

function decodeCursor(cursor: string): number | null {
  const text = Buffer.from(cursor, "base64url").toString();
  const seq = /^[1-9][0-9]{0,15}$/.test(text) ? Number(text) : NaN;
  // a cursor this API gave out reads back to itself (base64url decoding skips what it cannot read)
  return Number.isSafeInteger(seq) && encodeCursor(seq) === cursor ? seq : null;
}

/** The listing's parameters as the URL gives them; any other parameter or value is refused. */
export const deferredResultListQuerySchema = z
  .object({
    status: publicStatusSchema.optional().describe("Only the jobs of this status (running: waiting or merging)"),
    source: z.enum(["records", "csv_url", "revert"]).optional().describe("Only the jobs of this source"),
    limit: z
      .string()
      .regex(/^[1-9][0-9]{0,2}$/, `must be a whole number from 1 to ${JOB_LIST_MAX}`)
      .transform(Number)
      .pipe(z.number().max(JOB_LIST_MAX, `must be a whole number from 1 to ${JOB_LIST_MAX}`))
      .optional()
      .describe(`Jobs a page, 1 to ${JOB_LIST_MAX} (default ${JOB_LIST_DEFAULT})`),
    cursor: z
      .string()
      .max(64)
      .transform((c, ctx) => {
        const seq = decodeCursor(c);
        if (seq !== null) return seq;
        ctx.addIssue({ code: "custom", message: "is not a cursor this API gave out" });
        return z.NEVER;
      })
      .optional()
      .describe("The next page: as given in `next`"),
  })
  .strict();
export type DeferredResultListQuery = z.infer<typeof deferredResultListQuerySchema>;

/** The URL's parameters as a query, or `invalid_payload` naming each bad one. */
export const parseDeferredResultListQuery = (params: URLSearchParams): DeferredResultListQuery =>
  parseInput(deferredResultListQuerySchema, singleParams(params));

export const deferredResultListSchema = z.object({
  deferred_results: z.array(deferredResultSummarySchema),
  next: z.string().nullable().describe("The path of the next page, or null after the last"),
});
export type DeferredResultList = z.infer<typeof deferredResultListSchema>;

function nextPath(query: DeferredResultListQuery, limit: number, afterSeq: number): string {
  const params = new URLSearchParams({
    ...(query.status ? { status: query.status } : {}),
    ...(query.source ? { source: query.source } : {}),
    limit: String(limit),
    cursor: encodeCursor(afterSeq),
  });
  return `/api/deferred_results?${params}`;
}

/**
 * The ids of a page's jobs (and one more, to tell whether there is a next
 * page), newest seq first. One statement a job status, under one UNION ALL:
 * "running" is two (queued, running), each read in seq order from the
 * (api_user_id, status, seq) index; as one `status IN (…)` the planners walk
 * (api_user_id, seq) instead and read every job of the user when fewer than a
 * page match. With both filters on SQLite, which keeps no statistics of
 * values, one column's index drives and the other is only checked (`|| ''`
 * keeps its index from being chosen): the status unless it is ready, the
 * status almost every job ends in; else SQLite may drive by source=records
 * and read all of those to find a handful waiting. PostgreSQL chooses by its
 * statistics, and well (docs/performance.md, "Job listing"). Exported for
 * the bench, which prints its plans.
 */
export function pageIdsSql(dialect: Dialect, apiUserId: string, query: DeferredResultListQuery, take: number): { sql: string; params: unknown[] } {
  const statuses = query.status ? STATUSES_OF[query.status] : [null];
  const statusDrives = query.status !== "ready";
  const checkOnly = (column: string) => (dialect === "sqlite" ? `(${column} || '')` : column);
  const parts = statuses.map((status) => {
    const where: [string, unknown][] = [["api_user_id = ?", apiUserId]];
    if (query.cursor !== undefined) where.push(["seq < ?", query.cursor]);
    if (status) where.push([statusDrives || !query.source ? "status = ?" : `${checkOnly("status")} = ?`, status]);
    if (query.source) where.push([statusDrives && status ? `${checkOnly("source")} = ?` : "source = ?", query.source]);
    const conditions = [...where.map(([c]) => c), ...(query.cursor === undefined ? ["seq IS NOT NULL"] : [])];
    return {
      sql: `SELECT id, seq FROM import_job WHERE ${conditions.join(" AND ")} ORDER BY seq DESC LIMIT ?`,
      params: [...where.map(([, v]) => v), take],
    };
  });
  if (parts.length === 1) return parts[0];
  return {
    sql: `${parts.map((p, i) => `SELECT id, seq FROM (${p.sql}) AS s${i}`).join(" UNION ALL ")} ORDER BY seq DESC LIMIT ?`,
    params: [...parts.flatMap((p) => p.params), take],
  };
}

/**
 * One page of the API user's jobs, newest seq first: the page's ids by the
 * statement above, then their rows in one read. Only accepted jobs have a
 * seq, and seq is given in commit order, so a job accepted after the first
 * page always sorts above it: following `next` never repeats or skips one.
 */
export async function listDeferredResults(d: Db, apiUserId: string, query: DeferredResultListQuery): Promise<DeferredResultList> {
  const limit = query.limit ?? JOB_LIST_DEFAULT;
  const { sql, params } = pageIdsSql(d.dialect, apiUserId, query, limit + 1);
  // through Prisma, which sends it unnamed: PostgreSQL plans it for these very
  // values each time (a prepared statement's generic plan, as lib/db/sql-conn.ts
  // would make after five runs, cannot tell a rare status or source from a common one)
  const found = await d.prisma.$queryRawUnsafe<{ id: string; seq: number }[]>(d.dialect === "postgresql" ? pgText(sql) : sql, ...params);
  const ids = found.slice(0, limit).map((r) => r.id);
  const rows = ids.length ? await d.prisma.importJob.findMany({ where: { id: { in: ids } }, orderBy: { seq: "desc" } }) : [];
  const last = found.at(limit - 1);
  return {
    deferred_results: rows.map(deferredResultSummaryOf),
    next: found.length > limit && last ? nextPath(query, limit, Number(last.seq)) : null,
  };
}
