// A job's before-images (what makes it undoable): each target it wrote,
// once, with its state just before the job (null: the job created it), and
// the ordinal of the record that first wrote it. Stored as one row per batch
// that wrote any, a JSON array of entries: one insert per batch rather than a
// row (and three index entries) per target, which cost as much as writing
// the targets themselves (docs/decisions/020-the-merge.md). A batch's
// entries span ordinals no other batch's do, so a row is keyed by its first.
import "server-only";
import { randomUUID } from "node:crypto";
import type { SqlQuery } from "../db/sql-conn";
import type { WorkingSet } from "./apply-records";
import type { TargetState } from "../targets/target-state";
import { decodeStateValue, stateValue } from "../targets/target-store";

/** Above every ordinal (a position in a job): where going backwards starts. PostgreSQL's integer range. */
export const START = 2_147_483_647;

/** What erasure leaves of a before-image: the target is gone and so is its data. */
export const ERASED_PREFIX = "erased:";

export type Change = { externalId: string; ordinal: number; before: TargetState | null };

type Entry = [externalId: string, ordinal: number, before: unknown];

function decodeEntries(text: string): Change[] {
  return (JSON.parse(text) as Entry[]).map(([externalId, ordinal, before]) => ({
    externalId,
    ordinal,
    before: before === null ? null : decodeStateValue(externalId, before),
  }));
}

/** One target's entry in a batch row's entries (undefined: not there, as after its erasure), decoding that entry only. */
export function entryOf(entries: string, externalId: string): Change | undefined {
  const entry = (JSON.parse(entries) as Entry[]).find(([id]) => id === externalId);
  return entry && { externalId, ordinal: entry[1], before: entry[2] === null ? null : decodeStateValue(externalId, entry[2]) };
}

function encodeEntries(changes: readonly Change[]): string {
  return JSON.stringify(changes.map((c): Entry => [c.externalId, c.ordinal, c.before ? stateValue(c.before) : null]));
}

/**
 * Keeps one batch's before-images (each target's first write in the job), in
 * one row, and notes in target_change which targets the job wrote and where
 * their images are (the members list's history and "changed by" filter).
 */
export async function insertBeforeImages(q: SqlQuery, job: { id: string; seq: number }, changes: readonly Change[]): Promise<void> {
  if (changes.length === 0) return;
  const sorted = [...changes].sort((a, b) => a.ordinal - b.ordinal);
  const batch = sorted[0].ordinal;
  await q.run("INSERT INTO import_change (job_id, first_ordinal, entry_count, entries) VALUES (?, ?, ?, ?)", [
    job.id,
    batch,
    sorted.length,
    encodeEntries(sorted),
  ]);
  const ids = JSON.stringify(sorted.map((c) => c.externalId));
  await q.run(
    q.dialect === "postgresql"
      ? "INSERT INTO target_change (job_seq, external_id, batch) SELECT ?::int, value, ?::int FROM json_array_elements_text(?::json)"
      : "INSERT INTO target_change (job_seq, external_id, batch) SELECT ?, value, ? FROM json_each(?)",
    [job.seq, batch, ids],
  );
}

/**
 * The before-image of every target the batch wrote that the job had not
 * written before. A target the job wrote in an earlier batch carries its seq
 * (only jobs write targets, one at a time, and a job that gives up puts
 * back the seq it found), and its image was kept then.
 */
export async function recordChanges(q: SqlQuery, job: { id: string; seq: number }, ws: WorkingSet): Promise<void> {
  const changes: Change[] = [];
  for (const id of ws.dirty) {
    const before = ws.stored.get(id) ?? null;
    if (before?.lastJobSeq === job.seq) continue;
    changes.push({ externalId: id, ordinal: ws.firstWrite.get(id)!, before });
  }
  await insertBeforeImages(q, job, changes);
}

/** Up to `limit` changes of a job, going backwards from before `ordinal`. */
export async function readChanges(q: SqlQuery, jobId: string, beforeOrdinal: number, limit: number): Promise<Change[]> {
  const out: Change[] = [];
  for (let cursor = beforeOrdinal; out.length < limit; ) {
    const row = await q.get<{ first_ordinal: number; entries: string }>(
      "SELECT first_ordinal, entries FROM import_change WHERE job_id = ? AND first_ordinal < ? ORDER BY first_ordinal DESC LIMIT 1",
      [jobId, cursor],
    );
    if (!row) break;
    // a row that an earlier call stopped part-way through still holds entries at or after the cursor
    const entries = decodeEntries(row.entries)
      .filter((c) => c.ordinal < cursor)
      .sort((a, b) => b.ordinal - a.ordinal);
    out.push(...entries.slice(0, limit - out.length));
    cursor = Number(row.first_ordinal);
  }
  return out;
}

/** Where a revert that has undone `done` changes goes on from (the ordinal to stay below); -1 past the last. */
export async function revertCursor(q: SqlQuery, jobId: string, done: number): Promise<number> {
  if (done === 0) return START;
  const rows = await q.all<{ first_ordinal: number; entry_count: number }>(
    "SELECT first_ordinal, entry_count FROM import_change WHERE job_id = ? ORDER BY first_ordinal DESC",
    [jobId],
  );
  let before = 0;
  for (const row of rows) {
    const n = Number(row.entry_count);
    if (before + n >= done) {
      const { entries } = (await q.get<{ entries: string }>("SELECT entries FROM import_change WHERE job_id = ? AND first_ordinal = ?", [
        jobId,
        row.first_ordinal,
      ]))!;
      const ordinals = decodeEntries(entries)
        .map((c) => c.ordinal)
        .sort((a, b) => b - a);
      return ordinals[done - before - 1];
    }
    before += n;
  }
  return -1;
}

/**
 * Erasure: each before-image of the target becomes a tombstone (a fresh id,
 * no state), so an undo of those jobs leaves it out (changed_since) without
 * naming it, and its history goes. The rows are found by the id as JSON
 * writes it.
 */
export async function eraseFromBeforeImages(q: SqlQuery, externalId: string): Promise<void> {
  await q.run("DELETE FROM target_change WHERE external_id = ?", [externalId]);
  const contains = q.dialect === "postgresql" ? "strpos(entries, ?) > 0" : "instr(entries, ?) > 0";
  const rows = await q.all<{ job_id: string; first_ordinal: number; entries: string }>(
    `SELECT job_id, first_ordinal, entries FROM import_change WHERE ${contains}`,
    [JSON.stringify(externalId)],
  );
  for (const row of rows) {
    const changes = decodeEntries(row.entries);
    if (!changes.some((c) => c.externalId === externalId)) continue; // the text was in someone else's state
    const kept = changes.map((c) => (c.externalId === externalId ? { externalId: `${ERASED_PREFIX}${randomUUID()}`, ordinal: c.ordinal, before: null } : c));
    await q.run("UPDATE import_change SET entries = ? WHERE job_id = ? AND first_ordinal = ?", [encodeEntries(kept), row.job_id, row.first_ordinal]);
  }
}
