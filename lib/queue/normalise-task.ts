// The CPU-heavy half of merging a batch: parse the staged rows and normalise
// each record (phone validation above all). Pure, so it runs the same in a
// worker thread (normalise-pool.ts) as on the engine's main thread.
import "server-only";
import { parseChunk, rowsToRecords, type StagedRow, type StagedText } from "../jobs/staged-rows";
import { normaliseRecord, type NormaliseResult } from "../records/normalise-record";
import type { CustomFieldKind } from "../fields";
import type { JobSource } from "../vocabulary";

export type NormaliseTask = {
  /** Names the chunk (job and chunk number), so a thread parses it once for several batches. */
  chunkKey: string;
  /** The chunk as stored (a request body deflated); null when the thread holds this chunk already (normalise-pool.ts sends it once). */
  text: StagedText | null;
  /** The batch: `count` rows from `offset` within the chunk. */
  offset: number;
  count: number;
  source: JobSource;
  mapping: string[] | null;
  catalog: [string, CustomFieldKind][];
  phoneRegion: string;
};

let lastChunk: { key: string; rows: StagedRow[] } | null = null;

export function runNormaliseTask(task: NormaliseTask): NormaliseResult[] {
  if (lastChunk?.key !== task.chunkKey) {
    if (task.text === null) throw new Error(`normaliser: chunk ${task.chunkKey} was sent without its text and is not held`);
    lastChunk = { key: task.chunkKey, rows: parseChunk(task.text) };
  }
  const rows = lastChunk.rows.slice(task.offset, task.offset + task.count);
  const opts = {
    catalog: new Map(task.catalog),
    phoneRegion: task.phoneRegion,
    source: task.source === "records" ? ("json" as const) : ("csv" as const),
  };
  return rowsToRecords(rows, task.mapping).map((record) => normaliseRecord(record, opts));
}
