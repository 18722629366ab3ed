import "server-only";
import { z } from "zod";
import type { Db } from "../db/client";
import { whyNotRevertible } from "../jobs/revertible";
import { revertFactsOf } from "./deferred-result";
import {
  jobSourceSchema,
  jobStatusSchema,
  publicStatusOf,
  publicStatusSchema,
  STATUSES_OF,
  type JobSource,
  type PublicStatus,
} from "../vocabulary";

export const IMPORTS_PAGE_SIZE = 25;

// The history's filters as they arrive in the URL; anything unknown is dropped.
export const listImportsQuerySchema = z.object({
  status: publicStatusSchema.optional().catch(undefined),
  source: jobSourceSchema.optional().catch(undefined),
  page: z.coerce.number().int().min(1).catch(1).default(1),
});
export type ListImportsQuery = z.infer<typeof listImportsQuerySchema>;

export type ImportSummary = {
  id: string;
  source: JobSource;
  status: PublicStatus;
  startedBy: { kind: "api" | "staff"; name: string };
  fileName: string | null;
  csvUrl: string | null;
  total: number | null;
  processed: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  conflictsIgnored: number;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  detailsExpiredAt: Date | null;
  dryRun: boolean;
  /** An undo: the import it undoes. */
  reverts: string | null;
  /** The undo of this import, once asked for. */
  revertedBy: string | null;
  /** Why this import cannot be undone (null: it can, or its undo was asked for). */
  notRevertible: string | null;
};

/** Every job, uploads and API calls alike, newest first, filtered and paged. */
export async function listImports(
  d: Db,
  query: ListImportsQuery,
): Promise<{ items: ImportSummary[]; page: number; pageCount: number; total: number }> {
  const where = {
    status: query.status ? { in: STATUSES_OF[query.status] } : { not: "uploading" },
    ...(query.source ? { source: query.source } : {}),
  };
  const [total, rows] = await Promise.all([
    d.prisma.importJob.count({ where }),
    d.prisma.importJob.findMany({
      where,
      orderBy: { createdAt: "desc" },
      skip: (query.page - 1) * IMPORTS_PAGE_SIZE,
      take: IMPORTS_PAGE_SIZE,
      include: { apiUser: { select: { name: true } } },
    }),
  ]);
  const staffIds = [...new Set(rows.map((r) => r.staffUserId).filter((x): x is string => !!x))];
  const staff = staffIds.length
    ? await d.prisma.staffUser.findMany({ where: { id: { in: staffIds } }, select: { id: true, name: true, email: true } })
    : [];
  const names = new Map(staff.map((u) => [u.id, u.name || u.email]));
  const items = rows.map((r): ImportSummary => ({
    id: r.id,
    source: jobSourceSchema.parse(r.source),
    status: publicStatusOf(jobStatusSchema.parse(r.status)),
    startedBy: r.apiUser
      ? { kind: "api", name: r.apiUser.name }
      : { kind: "staff", name: (r.staffUserId && names.get(r.staffUserId)) || "Staff" },
    fileName: r.fileName,
    csvUrl: r.csvUrl,
    total: r.total,
    processed: r.processed,
    created: r.created,
    updated: r.updated,
    unchanged: r.unchanged,
    rejected: r.rejected,
    conflictsIgnored: r.conflictsIgnored,
    createdAt: r.createdAt,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    detailsExpiredAt: r.detailsPurgedAt,
    dryRun: r.dryRun,
    reverts: r.reverts,
    revertedBy: r.revertedBy,
    notRevertible: r.revertedBy ? null : whyNotRevertible(revertFactsOf(r)),
  }));
  return { items, page: query.page, pageCount: Math.max(1, Math.ceil(total / IMPORTS_PAGE_SIZE)), total };
}
