import type { Db, Tx } from "../db/client";
import { lockForWrite } from "../db/write-lock";

/**
 * Takes the acceptance lock for this transaction and returns the next place
 * in the merge order. Every way a job is accepted goes through here, so the
 * order of `seq` is the order in which jobs were accepted (committed).
 */
export async function lockNextSeq(tx: Tx, d: Db): Promise<number> {
  await lockForWrite(tx, d.dialect, "import_job_accept");
  const last = await tx.importJob.aggregate({ _max: { seq: true } });
  return (last._max.seq ?? 0) + 1;
}
