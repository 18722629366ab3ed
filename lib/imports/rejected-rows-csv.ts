// "Download rejected rows": the original rows of every record that was not
// written, plus a reason column, as CSV ready to fix and upload again. CSV
// jobs (by URL and uploads) give back the file's own columns.
// Streamed: problems are read in order (their seq follows record order) beside
// the staged chunks, so a large job is never held in memory.
import "server-only";
import type { Db } from "../db/client";
import { csvLine } from "../csv/csv-line";
import { decodeColumnList } from "../jobs/job-row";
import { chunkText, parseChunk, type RawRecord } from "../jobs/staged-rows";
import { findVisibleJob, type Viewer } from "./deferred-result";

const PAGE = 1000;
const REASON_COLUMN = "rejection_reason";

const cellText = (v: unknown) => (v === null || v === undefined ? "" : typeof v === "string" ? v : String(v));
/** A record's cell under `key`: its own value only (a record without "toString" has no such cell). */
const cellOf = (row: RawRecord, key: string) => cellText(Object.hasOwn(row, key) ? row[key] : undefined);

async function* reasonsByPosition(d: Db, jobId: string): AsyncGenerator<[number, string[]]> {
  let fromSeq = 0;
  let current: [number, string[]] | null = null;
  for (;;) {
    const rows = await d.prisma.importError.findMany({
      where: { jobId, seq: { gte: fromSeq }, code: { not: "conflict_ignored" } },
      orderBy: { seq: "asc" },
      take: PAGE,
    });
    for (const e of rows) {
      if (current && current[0] !== e.position) {
        yield current;
        current = null;
      }
      current ??= [e.position, []];
      current[1].push(e.message);
    }
    if (rows.length < PAGE) break;
    fromSeq = rows[rows.length - 1].seq + 1;
  }
  if (current) yield current;
}

export async function* rejectedRowsCsv(d: Db, id: string, viewer: Viewer): AsyncGenerator<string> {
  const job = await findVisibleJob(d, id, viewer);
  const reasons = reasonsByPosition(d, job.id);
  let next = await reasons.next();
  let columns: string[] | null = null;
  const fileColumns = decodeColumnList(job.columns);
  const pending: { row: RawRecord; reason: string }[] = [];

  for (let no = 0; !next.done; no++) {
    const chunk = await d.prisma.importChunk.findUnique({ where: { jobId_no: { jobId: job.id, no } } });
    if (!chunk) break;
    const rows = parseChunk(chunkText(chunk));
    const end = chunk.start + rows.length;
    while (!next.done && next.value[0] < end) {
      const [position, messages] = next.value;
      const row = rows[position - chunk.start];
      if (Array.isArray(row)) {
        // an upload: the file's own columns, as written
        if (!columns) {
          columns = fileColumns ?? [];
          yield csvLine([...columns, REASON_COLUMN]);
        }
        yield csvLine([...row, messages.join("; ")]);
      } else if (job.source === "records") {
        pending.push({ row, reason: messages.join("; ") }); // keys differ per record: gather first (≤ 1000)
      } else {
        if (!columns) {
          columns = Object.keys(row);
          yield csvLine([...columns, REASON_COLUMN]);
        }
        yield csvLine([...columns.map((c) => cellOf(row, c)), messages.join("; ")]);
      }
      next = await reasons.next();
    }
  }
  if (job.source === "records") {
    const keys = [...new Set(pending.flatMap((p) => Object.keys(p.row)))];
    columns = ["external_id", ...keys.filter((k) => k !== "external_id")];
    yield csvLine([...columns, REASON_COLUMN]);
    for (const p of pending) yield csvLine([...columns.map((c) => cellOf(p.row, c)), p.reason]);
  } else if (!columns) {
    yield csvLine([...(fileColumns ?? ["external_id"]), REASON_COLUMN]);
  }
}
