// Undoing a job (contract: "Revert"): the targets it created or updated, in
// the reverse of the order it first wrote them, each deleted (it created it),
// given back its state from just before the job, or left as it is:
// - changed_since: a later real job or revert wrote it since, or it was erased;
// - conflict: restoring would give it an email or phone number another target
//   holds at that moment.
// Also used on a job that gives up part-way, an undo included (it keeps
// before-images of its own): it is undone before it reports failed ("own"
// mode: a target gets back even its last writer, as if the job had never run).
import "server-only";
import type { SqlConn, SqlQuery } from "../db/sql-conn";
import { finishJobIn, recordRevertBatch, renewLease } from "../jobs/claim-job";
import type { Lease } from "../jobs/job-lease";
import { insertErrors } from "./merge-batch";
import type { RecordErrorEntry, WorkingSet } from "./apply-records";
import type { TargetState } from "../targets/target-state";
import { ERASED_PREFIX, insertBeforeImages, readChanges, START, type Change } from "./before-images";
import { lockTargetsForWriting, writeTargets } from "../targets/target-store";
import { loadWorkingSet } from "./working-set-store";

export type RevertDecision =
  | { externalId: string; action: "delete" }
  | { externalId: string; action: "restore"; state: TargetState }
  | { externalId: string; action: "skip"; code: "changed_since" | "conflict"; message: string; conflicting?: string[] };

const LABEL = { email: "email", phone_number: "phone number" } as const;

/**
 * Decides, in order, what undoing each change does to the targets as they
 * are now (the working set holds them, and every target holding an email or
 * phone number a restore would set). Pure; the working set follows the
 * decisions, so a later restore sees an earlier one. `own`: a job undoing
 * itself as it gives up gets back exactly the state before it, duplicates
 * an earlier `ignore` job left included, so the conflict rule does not apply.
 */
export function decideReverts(changes: readonly Change[], jobSeq: number, ws: WorkingSet, opts: { own?: boolean } = {}): RevertDecision[] {
  return changes.map((c): RevertDecision => {
    const current = ws.targets.get(c.externalId);
    if (opts.own && !current && c.before !== null && !c.externalId.startsWith(ERASED_PREFIX)) {
      // an undo giving up: a target it deleted comes back (only erasure removes one otherwise, leaving a tombstone)
      ws.put({ ...c.before, externalId: c.externalId }, c.ordinal);
      return { externalId: c.externalId, action: "restore", state: { ...c.before, externalId: c.externalId } };
    }
    if (c.externalId.startsWith(ERASED_PREFIX) || !current) {
      return { externalId: c.externalId, action: "skip", code: "changed_since", message: "This member was erased since that import" };
    }
    if (current.lastJobSeq !== jobSeq) {
      return {
        externalId: c.externalId,
        action: "skip",
        code: "changed_since",
        message: "Changed by a later import or undo since that import: left as it is",
      };
    }
    if (c.before === null) {
      ws.remove(c.externalId);
      return { externalId: c.externalId, action: "delete" };
    }
    const conflicting = new Set<string>();
    const fields: string[] = [];
    for (const key of opts.own ? [] : (["email", "phone_number"] as const)) {
      const value = c.before.attrs[key];
      if (typeof value !== "string" || value === current.attrs[key]) continue;
      const others = [...(ws.holders(key, value) ?? [])].filter((id) => id !== c.externalId);
      if (others.length) {
        fields.push(`${LABEL[key]} ${value}`);
        for (const o of others) conflicting.add(o);
      }
    }
    if (conflicting.size > 0) {
      const ids = [...conflicting].sort();
      return {
        externalId: c.externalId,
        action: "skip",
        code: "conflict",
        message: `Restoring it would give it the ${fields.join(" and the ")}, which ${ids.join(", ")} now ${ids.length === 1 ? "has" : "have"}: left as it is`,
        conflicting: ids,
      };
    }
    const state = { ...c.before, externalId: c.externalId };
    ws.put(state, c.ordinal);
    return { externalId: c.externalId, action: "restore", state };
  });
}

/** The stored targets a batch of changes can touch: theirs, and those holding their old email or phone. */
export async function loadFor(q: SqlQuery, changes: readonly Change[]): Promise<WorkingSet> {
  const keys = { externalIds: new Set<string>(), emails: new Set<string>(), phones: new Set<string>() };
  for (const c of changes) {
    keys.externalIds.add(c.externalId);
    if (c.before?.attrs.email) keys.emails.add(c.before.attrs.email as string);
    if (c.before?.attrs.phone_number) keys.phones.add(c.before.attrs.phone_number as string);
  }
  return loadWorkingSet(q, keys);
}

async function deleteTargets(q: SqlQuery, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await q.run(
    q.dialect === "postgresql"
      ? "DELETE FROM target WHERE external_id = ANY(ARRAY(SELECT json_array_elements_text(?::json)))"
      : "DELETE FROM target WHERE external_id IN (SELECT value FROM json_each(?))",
    [JSON.stringify(ids)],
  );
}

/** Applies decisions: deletes and restores, the restored marked with `seq` (or, `own`, their old last writer). */
async function applyDecisions(q: SqlQuery, decisions: readonly RevertDecision[], seq: number | "own"): Promise<void> {
  await deleteTargets(
    q,
    decisions.filter((d) => d.action === "delete").map((d) => d.externalId),
  );
  const restored = decisions.flatMap((d) => (d.action === "restore" ? [d.state] : []));
  await writeTargets(q, restored, new Date(), seq === "own" ? (t) => t.lastJobSeq ?? null : seq);
}

/**
 * One batch of a revert job, in one transaction fenced at its position: the
 * next `limit` changes of the job undone, going backwards from `cursor`.
 * Returns how many changes it went through and the new cursor (null: done).
 */
export async function revertBatch(
  conn: SqlConn,
  lease: Lease,
  revert: { seq: number; total: number; position: number; cursor: number },
  original: { id: string; seq: number },
  limit: number,
): Promise<{ count: number; cursor: number | null }> {
  return conn.tx(async (q) => {
    await renewLease(q, lease, revert.position);
    await lockTargetsForWriting(q);
    const changes = await readChanges(q, original.id, revert.cursor, limit);
    const ws = await loadFor(q, changes);
    // the undo's own before-images, so that an undo that gives up can be undone too
    const current = changes.map((c) => ws.targets.get(c.externalId) ?? null);
    const decisions = decideReverts(changes, original.seq, ws);
    await applyDecisions(q, decisions, revert.seq);
    await insertBeforeImages(
      q,
      { id: lease.jobId, seq: revert.seq },
      decisions.flatMap((d, i) => (d.action === "skip" ? [] : [{ externalId: d.externalId, ordinal: revert.position + i, before: current[i] }])),
    );
    const errors: RecordErrorEntry[] = [];
    decisions.forEach((d, i) => {
      if (d.action !== "skip") return;
      const erased = d.externalId.startsWith(ERASED_PREFIX);
      errors.push({
        position: revert.position + i,
        externalId: erased ? null : d.externalId,
        code: d.code,
        field: null,
        message: d.message,
        conflictingExternalIds: d.conflicting,
      });
    });
    const count = (a: RevertDecision["action"]) => decisions.filter((d) => d.action === a).length;
    const firstSeq = await recordRevertBatch(q, lease.jobId, {
      records: changes.length,
      deleted: count("delete"),
      restored: count("restore"),
      skipped: count("skip"),
      errors: errors.length,
    });
    await insertErrors(q, lease.jobId, firstSeq, errors);
    const done = changes.length < limit || revert.position + changes.length >= revert.total;
    if (done) await finishJobIn(q, lease);
    return { count: changes.length, cursor: done ? null : changes[changes.length - 1].ordinal };
  });
}

/**
 * Undoes everything a job that is giving up has written, so that it can
 * report failed with nothing of it saved. Idempotent: what is already undone
 * no longer carries the job's seq and is left alone.
 */
export async function undoOwnChanges(conn: SqlConn, lease: Lease, job: { id: string; seq: number }, limit = 500): Promise<void> {
  for (let cursor = START; ; ) {
    const next = await conn.tx(async (q) => {
      await renewLease(q, lease);
      await lockTargetsForWriting(q);
      const changes = await readChanges(q, job.id, cursor, limit);
      const ws = await loadFor(q, changes);
      await applyDecisions(q, decideReverts(changes, job.seq, ws, { own: true }), "own");
      return changes.length < limit ? null : changes[changes.length - 1].ordinal;
    });
    if (next === null) return;
    cursor = next;
  }
}
