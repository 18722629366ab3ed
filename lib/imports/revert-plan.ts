// "Undo this import", before it is asked for: what undoing the import would
// do to the members as they are now, decided by the revert's own rules
// (decideReverts) without writing anything. The undo itself runs later, in
// its turn, so members changed in between are judged again then.
import "server-only";
import type { Db } from "../db/client";
import type { WorkingSet } from "../merge/apply-records";
import { ERASED_PREFIX, readChanges, START, type Change } from "../merge/before-images";
import { decideReverts, loadFor } from "../merge/revert";
import { changedKeys, valueOf } from "../targets/target-state";
import { findVisibleJob } from "./deferred-result";

/** Examples shown of each kind; the counts are always whole. */
export const PLAN_EXAMPLES = 50;
const BATCH = 1000;

type Value = string | number | boolean | null;
export type PlannedRestore = { externalId: string; fields: { key: string; now: Value; restored: Value }[] };
export type PlannedSkip = { externalId: string | null; code: "changed_since" | "conflict"; message: string };

export type RevertPlan = {
  total: number;
  deleted: { count: number; first: string[] };
  restored: { count: number; first: PlannedRestore[] };
  skipped: { count: number; changedSince: number; conflict: number; first: PlannedSkip[] };
};

/** Adds to `ws` the targets of `loaded` it does not hold yet (what it holds may already reflect earlier decisions). */
function absorb(ws: WorkingSet, loaded: WorkingSet, gone: ReadonlySet<string>): void {
  for (const t of loaded.targets.values()) if (!ws.targets.has(t.externalId) && !gone.has(t.externalId)) ws.addStored(t);
}

export async function planRevert(d: Db, jobId: string): Promise<RevertPlan> {
  const job = await findVisibleJob(d, jobId, { staff: true });
  const plan: RevertPlan = {
    total: 0,
    deleted: { count: 0, first: [] },
    restored: { count: 0, first: [] },
    skipped: { count: 0, changedSince: 0, conflict: 0, first: [] },
  };
  if (job.seq === null) return plan;
  let ws: WorkingSet | null = null;
  const gone = new Set<string>();
  for (let cursor = START; ; ) {
    const changes: Change[] = await readChanges(d.sql, jobId, cursor, BATCH);
    const loaded = await loadFor(d.sql, changes);
    if (ws) absorb(ws, loaded, gone);
    else ws = loaded;
    const now = new Map(changes.map((c) => [c.externalId, ws!.targets.get(c.externalId)]));
    for (const decision of decideReverts(changes, job.seq, ws)) {
      plan.total++;
      if (decision.action === "delete") {
        gone.add(decision.externalId);
        if (plan.deleted.count++ < PLAN_EXAMPLES) plan.deleted.first.push(decision.externalId);
      } else if (decision.action === "restore") {
        const current = now.get(decision.externalId)!;
        if (plan.restored.count++ < PLAN_EXAMPLES) {
          const fields = changedKeys(current, decision.state).map((key) => ({
            key,
            now: valueOf(current, key),
            restored: valueOf(decision.state, key),
          }));
          plan.restored.first.push({ externalId: decision.externalId, fields });
        }
      } else {
        plan.skipped[decision.code === "conflict" ? "conflict" : "changedSince"]++;
        if (plan.skipped.count++ < PLAN_EXAMPLES) {
          const erased = decision.externalId.startsWith(ERASED_PREFIX);
          plan.skipped.first.push({ externalId: erased ? null : decision.externalId, code: decision.code, message: decision.message });
        }
      }
    }
    if (changes.length < BATCH) return plan;
    cursor = changes[changes.length - 1].ordinal;
  }
}
