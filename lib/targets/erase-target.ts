// DELETE /api/targets/<external_id> (contract: "Erasure"): the target goes at
// once, and so does every copy of its personal data the service keeps:
// - the before-images of it (kept for undo) become tombstones: an undo of
//   those jobs then leaves it out (changed_since) without naming it;
// - its problems, and the problems of others that name it, lose the details;
// - its rows in the staged rows of finished jobs, and those a running job
//   has merged already, are blanked (same position, no content); a job still
//   waiting keeps its rows and creates it anew in its turn, as the contract
//   says (and so does a running job, from its rows still to come).
// The staged rows are searched in pages, so no statement holds the thread long.
import "server-only";
import { byOrSystem, type AuditBy } from "../audit/audit-actor";
import { insertAuditEntries } from "../audit/record-audit";
import type { Db } from "../db/client";
import type { SqlQuery } from "../db/sql-conn";
import { AppError } from "../errors";
import { decodeColumnList } from "../jobs/job-row";
import { blankRows, chunkMayContainSql, chunkText, rewriteChunk, unpackText, writtenExternalId, type StagedRow } from "../jobs/staged-rows";
import { eraseFromBeforeImages } from "../merge/before-images";
import { lockTargetsForErasure } from "./target-store";
import { eraseFromDeliveries } from "../webhooks/delivery-payload";
import { normaliseExternalId } from "../records/normalise-record";

const CHUNKS_PER_PAGE = 20;
const ERASED_MESSAGE = "The details of this entry were erased";
/** A problem that named the erased member among others it collided with. */
const erasedNaming = (ids: string[]) => `${ERASED_MESSAGE}${ids.length ? ` (also: ${ids.join(", ")})` : ""}`;

/** True when a staged row (a record, or cells under a mapping) is the target's. */
function rowIsTarget(row: StagedRow, externalIdColumn: number, externalId: string): boolean {
  const id = normaliseExternalId(writtenExternalId(row, externalIdColumn));
  return id.ok && id.value === externalId;
}

/**
 * What every staged copy of the id holds as written, unless it escapes
 * characters as \uXXXX: the id's longest run of characters JSON writes as
 * themselves or as \uXXXX only (a request body is kept as sent: a client may
 * have written "é" as "\u00e9", or "/" as "\/" as PHP does). Empty: every
 * chunk is read.
 */
function stagedNeedle(externalId: string): string {
  let best = "";
  for (const run of externalId.split(/[^\x20-\x7e]|["\\/]/)) if (run.length > best.length) best = run;
  return best;
}

/** A JSON number with a fraction or an exponent: it may be any integer (1e3, and 999.99999999999999999 too, is 1000). */
const NUMBER_WRITTEN_OTHERWISE = /\d[.eE][-+\d]/;

/**
 * False only when no row of the staged text can be the target's, so the
 * text need not be parsed: it holds the needle, unless it escapes characters
 * as \uXXXX (any JSON writer may: Go's escapes <, > and &, .NET's + and all
 * but ASCII, by default) or the id is an integer the body may have sent as a
 * number written another way.
 */
function mayHoldTarget(text: string, externalId: string, needle: string): boolean {
  return text.includes(needle) || text.includes("\\u") || (/^-?\d+$/.test(externalId) && NUMBER_WRITTEN_OTHERWISE.test(text));
}

async function scrubStagedRows(q: SqlQuery, externalId: string): Promise<void> {
  const needle = stagedNeedle(externalId);
  // text chunks are searched by the database; deflated ones (request
  // bodies) can only be searched here, so each is read
  let after: [string, number] = ["", -1];
  for (;;) {
    // a running job's rows before its progress are merged already and never read again
    const page = await q.all<{
      job_id: string;
      no: number;
      rows: string;
      packed: Uint8Array | null;
      mapping: string | null;
      status: string;
      start: number;
      processed: number;
    }>(
      `SELECT c.job_id, c.no, c.rows, c.packed, j.mapping, j.status, c.start, j.processed FROM import_chunk c JOIN import_job j ON j.id = c.job_id
        WHERE j.status IN ('ready', 'failed', 'running') AND (c.job_id > ? OR (c.job_id = ? AND c.no > ?))
          AND ${chunkMayContainSql(q.dialect)}
        ORDER BY c.job_id, c.no LIMIT ?`,
      [after[0], after[0], after[1], needle, CHUNKS_PER_PAGE],
    );
    for (const chunk of page) {
      const column = decodeColumnList(chunk.mapping)?.indexOf("external_id") ?? -1;
      const upTo = chunk.status === "running" ? Number(chunk.processed) - Number(chunk.start) : Infinity;
      if (upTo <= 0) continue;
      const text = unpackText(chunkText(chunk));
      if (!mayHoldTarget(text, externalId, needle)) continue;
      const blanked = blankRows(text, (row) => rowIsTarget(row, column, externalId), upTo);
      if (blanked !== null) await rewriteChunk(q, { jobId: chunk.job_id, no: Number(chunk.no), packed: chunk.packed !== null }, blanked);
    }
    if (page.length < CHUNKS_PER_PAGE) return;
    after = [page[page.length - 1].job_id, Number(page[page.length - 1].no)];
  }
}

/** `by`: who erases, for the audit log, whose entry names the member by number only. */
export async function eraseTarget(d: Db, externalId: string, by?: AuditBy): Promise<void> {
  const existed = await d.sql.tx(async (q) => {
    await lockTargetsForErasure(q); // no batch is between reading the member and writing it back
    const n = await q.run("DELETE FROM target WHERE external_id = ?", [externalId]);
    await eraseFromBeforeImages(q, externalId);
    await q.run("DELETE FROM dry_run_target WHERE external_id = ?", [externalId]);
    // its own problems (their message quotes its values; the ids of the
    // others it collided with are theirs, not its), and others' that name it
    const own = await q.all<{ job_id: string }>("SELECT DISTINCT job_id FROM import_error WHERE external_id = ?", [externalId]);
    await q.run("UPDATE import_error SET external_id = NULL, message = ? WHERE external_id = ?", [ERASED_MESSAGE, externalId]);
    const naming = await q.all<{ job_id: string; seq: number; conflicting_external_ids: string }>(
      `SELECT job_id, seq, conflicting_external_ids FROM import_error WHERE ${
        q.dialect === "postgresql" ? "strpos(conflicting_external_ids, ?) > 0" : "instr(conflicting_external_ids, ?) > 0"
      }`,
      [JSON.stringify(externalId)],
    );
    for (const e of naming) {
      const ids = (JSON.parse(e.conflicting_external_ids) as string[]).filter((id) => id !== externalId);
      await q.run("UPDATE import_error SET message = ?, conflicting_external_ids = ? WHERE job_id = ? AND seq = ?", [
        erasedNaming(ids),
        ids.length ? JSON.stringify(ids) : null,
        e.job_id,
        e.seq,
      ]);
    }
    // and the bodies of those jobs' webhook deliveries, sent or still to send, in the same words
    const jobIds = [...own, ...naming].map((e) => e.job_id);
    await eraseFromDeliveries(q, jobIds, externalId, { erased: ERASED_MESSAGE, alsoNaming: erasedNaming });
    if (n > 0) await insertAuditEntries(q, [{ ...byOrSystem(by), action: "member_erased", subjectType: "member", subject: externalId }]);
    return n > 0;
  });
  await scrubStagedRows(d.sql, externalId);
  if (!existed) throw new AppError("not_found", `No target with external_id ${externalId}`);
}
