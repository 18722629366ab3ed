// The merge's working set, loaded from the target table and written back
// to it (lib/targets/target-store.ts), or to a dry run's overlay.
import "server-only";
import type { SqlQuery } from "../db/sql-conn";
import { loadTargets, writeOverlay, writeTargets, type MatchKeys } from "../targets/target-store";
import { WorkingSet } from "./apply-records";

/** Every stored target the batch's keys can touch, as a working set (a dry run's: as its overlay left them). */
export async function loadWorkingSet(q: SqlQuery, keys: MatchKeys, dryRunJobId?: string): Promise<WorkingSet> {
  const ws = new WorkingSet();
  for (const t of await loadTargets(q, keys, dryRunJobId)) ws.addStored(t);
  return ws;
}

const dirtyTargets = (ws: WorkingSet) => [...ws.dirty].map((id) => ws.targets.get(id)!);

/**
 * Writes every dirty target of the working set: those it loaded as stored
 * are updated, the others inserted. Nothing else writes targets while a
 * batch runs (jobs merge one at a time; erasure waits for the batch's lock).
 */
export async function writeWorkingSet(q: SqlQuery, ws: WorkingSet, now: Date, seq: number): Promise<void> {
  const dirty = dirtyTargets(ws);
  await writeTargets(q, dirty.filter((t) => !ws.stored.has(t.externalId)), now, seq, { created: true });
  await writeTargets(q, dirty.filter((t) => ws.stored.has(t.externalId)), now, seq);
}

/** A dry run writes its dirty targets to its overlay instead. */
export async function writeOverlayOf(q: SqlQuery, jobId: string, ws: WorkingSet): Promise<void> {
  await writeOverlay(q, jobId, dirtyTargets(ws));
}
