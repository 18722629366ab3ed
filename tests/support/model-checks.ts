// Comparing what the engine stored and answered with the reference model's
// (tests/support/reference-model.ts): the stored targets, a job's outcome
// with every problem entry (paged), members erased since named nowhere.
import { expect } from "vitest";
import type { Db } from "@/lib/db/client";
import { getDeferredResult, importResultOf, listImportErrors, type DeferredResult } from "@/lib/imports/deferred-result";
import { rowToTarget } from "@/lib/targets/target-store";
import { sortKeys, type RefOutcome, type RefTarget } from "./reference-model";

/** Every problem entry of a ready job, all pages. */
export async function allErrors(db: Db, id: string, first: DeferredResult): Promise<Record<string, unknown>[]> {
  const entries: Record<string, unknown>[] = [...first.result!.errors];
  let next = first.result!.errors_next;
  while (next) {
    const cursor = new URL(next, "http://x").searchParams.get("cursor");
    const page = await listImportErrors(db, id, { staff: true }, cursor);
    entries.push(...page.errors);
    next = page.errors_next;
  }
  return entries;
}

/** The stored targets as the model holds them: set attributes and custom values, keys sorted. */
export async function storedTargets(db: Db): Promise<Map<string, RefTarget>> {
  const rows = await db.sql.all("SELECT * FROM target");
  const out = new Map<string, RefTarget>();
  for (const row of rows) {
    const s = rowToTarget(row);
    const flat: RefTarget = {};
    for (const [k, v] of Object.entries(s.attrs)) if (v !== null) flat[k] = v;
    Object.assign(flat, s.custom);
    out.set(s.externalId, sortKeys(flat));
  }
  return out;
}

/** The stored targets equal the model's. */
export async function expectStoredAsModel(db: Db, model: { targets: ReadonlyMap<string, RefTarget> }, label?: string): Promise<void> {
  expect(Object.fromEntries(await storedTargets(db)), label).toEqual(Object.fromEntries([...model.targets].map(([id, v]) => [id, sortKeys(v)])));
}

/** What an erasure leaves of an earlier entry: the erased member named nowhere. */
export function withoutErased<E extends { conflicting?: string[] }>(entries: E[], erased: ReadonlySet<string>): E[] {
  return entries.map((e) => {
    if (!e.conflicting?.some((id) => erased.has(id))) return e;
    const kept = e.conflicting.filter((id) => !erased.has(id));
    return { ...e, conflicting: kept.length ? kept : undefined };
  });
}

/** A ready JSON job's counts, field changes and every problem entry equal the model's outcome. */
export async function expectImport(db: Db, id: string, expected: RefOutcome, erased: ReadonlySet<string>, label: string): Promise<void> {
  const actual = await getDeferredResult(db, id, { staff: true });
  expect(actual.status, label).toBe("ready");
  const r = importResultOf(actual);
  expect(
    { total: r.total, created: r.created, updated: r.updated, unchanged: r.unchanged, rejected: r.rejected, conflictsIgnored: r.conflicts_ignored, fieldChanges: r.field_changes },
    label,
  ).toEqual({
    total: expected.total,
    created: expected.created,
    updated: expected.updated,
    unchanged: expected.unchanged,
    rejected: expected.rejected,
    conflictsIgnored: expected.conflictsIgnored,
    fieldChanges: expected.fieldChanges,
  });
  expect(r.created + r.updated + r.unchanged + r.rejected, label).toBe(r.total);
  const key = (e: { position: number; code: string; field: string; conflicting?: string[] }) =>
    `${e.position}|${e.code}|${e.field}|${(e.conflicting ?? []).join(",")}`;
  const got = (await allErrors(db, id, actual)).map((e) =>
    key({ position: e.index as number, code: e.code as string, field: e.field as string, conflicting: e.conflicting_external_ids as string[] | undefined }),
  );
  expect(got.sort(), label).toEqual(withoutErased(expected.entries, erased).map(key).sort());
}
