import { z } from "zod";
import type { Db } from "../db/client";

export const IMPORT_STATUSES = ["running", "ready", "failed"] as const;
export const IMPORT_SOURCES = ["records", "csv_url", "upload"] as const;
export const IMPORTS_PAGE_SIZE = 25;

// The history's filters as they arrive in the URL; anything unknown is dropped.
export const listImportsQuerySchema = z.object({
  status: z.enum(IMPORT_STATUSES).optional().catch(undefined),
  source: z.enum(IMPORT_SOURCES).optional().catch(undefined),
  page: z.coerce.number().int().min(1).catch(1).default(1),
});
export type ListImportsQuery = z.infer<typeof listImportsQuerySchema>;

export type ImportSummary = {
  id: string;
  source: (typeof IMPORT_SOURCES)[number];
  status: (typeof IMPORT_STATUSES)[number];
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
};

const STATUS_WHERE: Record<ImportSummary["status"], string[]> = {
  running: ["queued", "running"],
  ready: ["ready"],
  failed: ["failed"],
};

/** Every job, uploads and API calls alike, newest first, filtered and paged. */
export async function listImports(
  d: Db,
  query: ListImportsQuery,
): Promise<{ items: ImportSummary[]; page: number; pageCount: number; total: number }> {
  const where = {
    status: query.status ? { in: STATUS_WHERE[query.status] } : { not: "uploading" },
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
    source: r.source as ImportSummary["source"],
    status: r.status === "ready" ? "ready" : r.status === "failed" ? "failed" : "running",
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
  }));
  return { items, page: query.page, pageCount: Math.max(1, Math.ceil(total / IMPORTS_PAGE_SIZE)), total };
}
