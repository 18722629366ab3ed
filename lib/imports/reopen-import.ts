import "server-only";
import type { Db } from "../db/client";
import { decodeColumnList } from "../jobs/job-row";
import { findVisibleJob } from "./deferred-result";
import { AppError } from "../errors";

/**
 * What "Fix and import again" needs of a finished upload: its columns and
 * mapping, to open its rejected rows (rejected.csv) in the wizard. Null when
 * the import is not a visible upload with rejected rows still kept.
 */
export async function reopenSettings(d: Db, id: string): Promise<{ id: string; columns: string[]; mapping: string[] } | null> {
  const job = await findVisibleJob(d, id, { staff: true }).catch((e) => {
    if (e instanceof AppError && e.code === "not_found") return null;
    throw e;
  });
  if (!job || job.source !== "upload" || job.detailsPurgedAt) return null;
  const columns = decodeColumnList(job.columns);
  const mapping = decodeColumnList(job.mapping);
  if (!columns || !mapping || columns.length !== mapping.length) return null;
  return { id: job.id, columns, mapping };
}
