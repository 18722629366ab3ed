import type { Db } from "../db/client";

/**
 * The mapping chosen the last time a file with exactly these headers (same
 * names, same order) was uploaded, if any: offered again next time.
 */
export async function rememberedMapping(d: Db, columns: string[]): Promise<string[] | null> {
  const job = await d.prisma.importJob.findFirst({
    where: { source: "upload", columns: JSON.stringify(columns), mapping: { not: null } },
    orderBy: { createdAt: "desc" },
    select: { mapping: true },
  });
  return job?.mapping ? (JSON.parse(job.mapping) as string[]) : null;
}
