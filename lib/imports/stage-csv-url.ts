import type { Db } from "../db/client";
import { AppError } from "../errors";
import { openCsvUrl } from "../csv/safe-fetch";
import { normaliseHeader, readCsv } from "../csv/parse-csv";
import { renewLease, type Lease } from "../queue/lease";
import { isBuiltinKey, type FieldCatalog } from "../targets/fields";

export type CsvFetchLimits = { allowedHosts: string[]; timeoutMs: number; maxBytes: number };

/** Checks a CSV header row against the fields that exist; returns the keys. */
export function checkCsvColumns(rawHeaders: string[], catalog: FieldCatalog): string[] {
  const keys = rawHeaders.map(normaliseHeader);
  const seen = new Set<string>();
  const repeated = keys.filter((k) => (seen.has(k) ? true : (seen.add(k), false)));
  if (repeated.length) {
    throw new AppError("duplicate_columns", `These columns appear more than once: ${[...new Set(repeated)].join(", ")}`, {
      extra: { columns: [...new Set(repeated)] },
    });
  }
  if (!seen.has("external_id")) {
    throw new AppError("missing_external_id_column", "The CSV has no external_id column, so its rows cannot be matched");
  }
  const unknown = keys.filter((k) => !isBuiltinKey(k) && !catalog.has(k));
  if (unknown.length) {
    throw new AppError(
      "unknown_columns",
      `These columns are neither built-in fields nor custom fields: ${unknown.join(", ")}`,
      { extra: { columns: unknown } },
    );
  }
  return keys;
}

/**
 * Downloads and parses a CSV by URL into the job's chunks, streaming: the
 * file is never held whole in memory. The rows are only merged once the
 * whole file is staged, so a download that breaks half way writes nothing.
 */
export async function stageCsvUrl(
  d: Db,
  job: { id: string; csvUrl: string },
  lease: Lease,
  catalog: FieldCatalog,
  limits: CsvFetchLimits,
): Promise<void> {
  await d.prisma.importChunk.deleteMany({ where: { jobId: job.id } }); // a taken-over job starts again
  let keys: string[] = [];
  let no = 0;
  let start = 0;
  const bytes = await openCsvUrl(job.csvUrl, limits);
  await readCsv(bytes, {
    onHeader(raw) {
      keys = checkCsvColumns(raw, catalog);
    },
    async onRows(rows) {
      const objects = rows.map((cells) => {
        const o: Record<string, string> = {};
        keys.forEach((k, i) => (o[k] = cells[i] ?? ""));
        return o;
      });
      await d.prisma.importChunk.create({ data: { jobId: job.id, no, start, rows: JSON.stringify(objects) } });
      await renewLease(d.prisma, d, lease);
      no++;
      start += rows.length;
    },
  });
  await renewLease(d.prisma, d, lease);
  await d.prisma.importJob.update({ where: { id: job.id }, data: { staged: true, total: start } });
}
