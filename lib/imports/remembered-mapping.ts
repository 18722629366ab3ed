import "server-only";
import type { Db } from "../db/client";
import { decodeColumnList, encodeColumnList } from "../jobs/job-row";

/**
 * The mapping chosen the last time a file with exactly these headers (same
 * names, same order) was uploaded, if any: offered again next time.
 */
export async function rememberedMapping(d: Db, columns: string[]): Promise<string[] | null> {
  const job = await d.prisma.importJob.findFirst({
    where: { source: "upload", columns: encodeColumnList(columns), mapping: { not: null } },
    orderBy: { createdAt: "desc" },
    select: { mapping: true },
  });
  return decodeColumnList(job?.mapping ?? null);
}
