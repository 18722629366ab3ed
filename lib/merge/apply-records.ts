// Applies one batch of normalised records, in order, to a working set of
// targets held in memory. Pure: the caller loads the working set (every target
// that the batch's external_ids, emails or phone numbers can touch) and writes
// back the dirty targets. Applying records one by one here is what makes a
// job's outcome equal to applying its records one at a time (the contract's
// ordering rule) while the database work stays batched.
import type { NormaliseResult } from "../records/normalise-record";
import type { ConflictStrategy, ResultCode } from "../vocabulary";
import { applyPatch, blankTarget, changedKeys, valueOf, type TargetState } from "../targets/target-state";

export type RecordErrorEntry = {
  position: number;
  externalId: string | null;
  code: ResultCode;
  field: string | null;
  message: string;
  conflictingExternalIds?: string[];
};

/**
 * Per attribute (or custom slug): how many records counted as updated changed
 * its value. A Map: a slug may be named like an object's own property
 * ("constructor"), which a plain object would already seem to hold.
 */
export type FieldChanges = Map<string, number>;

const countOne = (m: FieldChanges, key: string) => m.set(key, (m.get(key) ?? 0) + 1);

export type BatchCounts = {
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  conflictsIgnored: number;
};

const MATCH_KEYS = ["email", "phone_number"] as const;
type MatchKey = (typeof MATCH_KEYS)[number];

export class WorkingSet {
  readonly targets = new Map<string, TargetState>();
  /** Targets that existed before this batch (stored rows), as they were loaded. */
  readonly stored = new Map<string, TargetState>();
  readonly dirty = new Set<string>();
  /** The position of the record that first changed each dirty target in this batch. */
  readonly firstWrite = new Map<string, number>();
  // value → its holder, or a Set once two or more hold it (rare: a Set per
  // value would cost the wizard's file check a few hundred MB on 1M rows)
  private readonly index: Record<MatchKey, Map<string, string | Set<string>>> = {
    email: new Map(),
    phone_number: new Map(),
  };

  addStored(target: TargetState): void {
    this.targets.set(target.externalId, target);
    this.stored.set(target.externalId, target);
    this.indexTarget(target);
  }

  holders(key: MatchKey, value: string): Iterable<string> | undefined {
    const h = this.index[key].get(value);
    return typeof h === "string" ? [h] : h;
  }

  put(next: TargetState, position: number): void {
    if (!this.firstWrite.has(next.externalId)) this.firstWrite.set(next.externalId, position);
    const previous = this.targets.get(next.externalId);
    if (previous) this.unindexTarget(previous);
    this.targets.set(next.externalId, next);
    this.indexTarget(next);
    this.dirty.add(next.externalId);
  }

  /** The target is gone (a revert deleted it). */
  remove(externalId: string): void {
    const t = this.targets.get(externalId);
    if (!t) return;
    this.unindexTarget(t);
    this.targets.delete(externalId);
  }

  private indexTarget(t: TargetState): void {
    for (const key of MATCH_KEYS) {
      const v = t.attrs[key];
      if (typeof v !== "string") continue;
      const index = this.index[key];
      const h = index.get(v);
      if (h === undefined || h === t.externalId) index.set(v, t.externalId);
      else if (typeof h === "string") index.set(v, new Set([h, t.externalId]));
      else h.add(t.externalId);
    }
  }

  private unindexTarget(t: TargetState): void {
    for (const key of MATCH_KEYS) {
      const v = t.attrs[key];
      if (typeof v !== "string") continue;
      const index = this.index[key];
      const h = index.get(v);
      if (h === t.externalId) index.delete(v);
      else if (typeof h === "object") {
        h.delete(t.externalId);
        if (h.size === 1) index.set(v, h.values().next().value!);
        else if (h.size === 0) index.delete(v);
      }
    }
  }
}

const FIELD_LABEL: Record<MatchKey, string> = { email: "email", phone_number: "phone number" };

export function applyRecords(
  records: NormaliseResult[],
  firstPosition: number,
  strategy: ConflictStrategy,
  ws: WorkingSet,
): { counts: BatchCounts; errors: RecordErrorEntry[]; fieldChanges: FieldChanges; fieldClears: FieldChanges } {
  const counts: BatchCounts = { created: 0, updated: 0, unchanged: 0, rejected: 0, conflictsIgnored: 0 };
  const fieldChanges: FieldChanges = new Map();
  /** Of fieldChanges, those that cleared the value (the wizard's preview says so). */
  const fieldClears: FieldChanges = new Map();
  const errors: RecordErrorEntry[] = [];

  records.forEach((result, i) => {
    const position = firstPosition + i;
    if (!result.ok) {
      counts.rejected++;
      for (const p of result.problems) {
        errors.push({ position, externalId: result.externalId, code: p.code, field: p.field, message: p.message });
      }
      return;
    }
    const { patch } = result;
    const conflicts: RecordErrorEntry[] = [];
    for (const key of MATCH_KEYS) {
      const value = patch.attrs[key];
      if (typeof value !== "string" || value === "") continue;
      const holders = ws.holders(key, value);
      if (!holders) continue;
      const others = [...holders].filter((id) => id !== patch.externalId).sort();
      if (others.length === 0) continue;
      conflicts.push({
        position,
        externalId: patch.externalId,
        code: strategy === "reject" ? "conflict" : "conflict_ignored",
        field: key,
        message:
          strategy === "reject"
            ? `The ${FIELD_LABEL[key]} ${value} already belongs to ${others.join(", ")}`
            : `The ${FIELD_LABEL[key]} ${value} also belongs to ${others.join(", ")}; imported anyway (ignore)`,
        conflictingExternalIds: others,
      });
    }
    errors.push(...conflicts);
    if (conflicts.length > 0 && strategy === "reject") {
      counts.rejected++;
      return;
    }
    if (conflicts.length > 0) counts.conflictsIgnored++;

    const current = ws.targets.get(patch.externalId);
    const { next, changed } = applyPatch(current ?? blankTarget(patch.externalId), patch);
    if (!current) counts.created++;
    else if (changed) counts.updated++;
    else counts.unchanged++;
    if (current && changed) {
      for (const key of changedKeys(current, next)) {
        countOne(fieldChanges, key);
        if (valueOf(next, key) === null) countOne(fieldClears, key);
      }
    }
    if (!current || changed) ws.put(next, position);
  });

  return { counts, errors, fieldChanges, fieldClears };
}
