import { ATTRIBUTE_KEYS, type AttributeKey } from "../fields";
import type { TargetPatch } from "../records/normalise-record";

export type AttributeValue = string | boolean | null;

/** A target as the merge sees it: built-in attributes plus custom values. */
export type TargetState = {
  externalId: string;
  attrs: Record<AttributeKey, AttributeValue>;
  /** slug → value; a slug that is absent has no value (null). */
  custom: Record<string, string | number>;
  /** seq of the last real job or revert that wrote it (stored targets only). */
  lastJobSeq?: number | null;
};

export function blankTarget(externalId: string): TargetState {
  const attrs = {} as Record<AttributeKey, AttributeValue>;
  for (const k of ATTRIBUTE_KEYS) attrs[k] = null;
  return { externalId, attrs, custom: {} };
}

/** The state after applying a patch; `changed` says whether anything differs. */
export function applyPatch(current: TargetState, patch: TargetPatch): { next: TargetState; changed: boolean } {
  let changed = false;
  const attrs = { ...current.attrs };
  for (const key of Object.keys(patch.attrs) as AttributeKey[]) {
    const value = patch.attrs[key] ?? null;
    if (attrs[key] !== value) {
      attrs[key] = value;
      changed = true;
    }
  }
  let custom = current.custom;
  for (const [slug, value] of Object.entries(patch.custom)) {
    const had = Object.hasOwn(custom, slug) ? custom[slug] : null;
    if (had === value) continue;
    if (custom === current.custom) custom = { ...current.custom };
    if (value === null) delete custom[slug];
    else custom[slug] = value;
    changed = true;
  }
  return { next: { externalId: current.externalId, attrs, custom }, changed };
}

/** The attributes and custom slugs whose value differs between two states of a target. */
export function changedKeys(before: TargetState, after: TargetState): string[] {
  const keys: string[] = [];
  for (const k of ATTRIBUTE_KEYS) if (before.attrs[k] !== after.attrs[k]) keys.push(k);
  for (const slug of new Set([...Object.keys(before.custom), ...Object.keys(after.custom)])) {
    const was = Object.hasOwn(before.custom, slug) ? before.custom[slug] : null;
    const now = Object.hasOwn(after.custom, slug) ? after.custom[slug] : null;
    if (was !== now) keys.push(slug);
  }
  return keys;
}

/** An attribute's or custom slug's value (null: none). Own keys only: a slug may be `constructor`. */
export function valueOf(t: TargetState, key: string): AttributeValue | number {
  if (Object.hasOwn(t.attrs, key)) return t.attrs[key as AttributeKey] ?? null;
  return Object.hasOwn(t.custom, key) ? t.custom[key] : null;
}
