// GET /api/deferred_results (contract: "Job listing"): the calling API
// user's jobs, the last accepted first, filtered by status or source and
// paged by a keyset on seq (decision 032). One query a page, answered from
// the (api_user_id, [status | source,] seq) indexes; each item is read from
// its job row alone (deferredResultSummaryOf), so no page asks per job.
import "server-only";
import { z } from "zod";
import type { Db } from "../db/client";
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
 * One page of the API user's jobs, newest seq first. Only accepted jobs have a
 * seq, and seq is given in commit order, so a job accepted after the first
 * page always sorts above it: following `next` never repeats or skips one.
 */
export async function listDeferredResults(d: Db, apiUserId: string, query: DeferredResultListQuery): Promise<DeferredResultList> {
  const limit = query.limit ?? JOB_LIST_DEFAULT;
  const rows = await d.prisma.importJob.findMany({
    where: {
      apiUserId,
      seq: query.cursor === undefined ? { not: null } : { lt: query.cursor },
      ...(query.status ? { status: { in: STATUSES_OF[query.status] } } : {}),
      ...(query.source ? { source: query.source } : {}),
    },
    orderBy: { seq: "desc" },
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    deferred_results: page.map(deferredResultSummaryOf),
    next: rows.length > limit && last?.seq ? nextPath(query, limit, last.seq) : null,
  };
}
