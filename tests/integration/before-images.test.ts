// Before-images are kept as one row per batch (lib/merge/before-images.ts).
// On both databases: walking them backwards in steps that cut rows part-way
// gives every change once, newest first; a revert resumed after any number of
// changes goes on from the right place; erasure turns only the member's
// entries into tombstones, even where its id is also someone else's value.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ERASED_PREFIX, eraseFromBeforeImages, insertBeforeImages, readChanges, revertCursor, START, type Change } from "@/lib/merge/before-images";
import { blankTarget, type TargetState } from "@/lib/targets/target-state";
import { createTestDb, DIALECTS, type TestDb } from "../support/test-db";

function state(externalId: string, firstName: string, lastJobSeq: number | null): TargetState {
  const t = blankTarget(externalId);
  return { ...t, attrs: { ...t.attrs, first_name: firstName, subscription_sms: true }, custom: { branch: "North", score: 2.5 }, lastJobSeq };
}

// three batches' images, each given out of order: ordinals 0 2 5 | 7 | 8 9 11 12
const BATCHES: Change[][] = [
  [
    { externalId: "A-5", ordinal: 5, before: null },
    { externalId: "A-0", ordinal: 0, before: state("A-0", "Ann", 3) },
    { externalId: "A-2", ordinal: 2, before: null },
  ],
  [{ externalId: "B-7", ordinal: 7, before: state("B-7", "E-1", null) }], // holds the text "E-1", as a name
  [
    { externalId: "C-12", ordinal: 12, before: null },
    { externalId: "E-1", ordinal: 9, before: state("E-1", "Erin", 4) },
    { externalId: "C-8", ordinal: 8, before: null },
    { externalId: "C-11", ordinal: 11, before: state("C-11", "Cal", 1) },
  ],
];
const NEWEST_FIRST = BATCHES.flat().sort((a, b) => b.ordinal - a.ordinal);

describe.each(DIALECTS)("before-images (%s)", (dialect) => {
  let t: TestDb;
  const jobId = "job-images";
  beforeAll(async () => {
    t = await createTestDb(dialect);
    await t.db.prisma.importJob.create({ data: { id: jobId, seq: 1, status: "ready", source: "records", conflictStrategy: "reject" } });
    for (const batch of BATCHES) await t.db.sql.tx((q) => insertBeforeImages(q, { id: jobId, seq: 1 }, batch));
  });
  afterAll(async () => t?.drop());

  test("one row per batch; read backwards in steps of 3 (cutting rows), every change comes once, newest first, states intact", async () => {
    expect(await t.db.prisma.importChange.count({ where: { jobId } })).toBe(3);
    const seen: Change[] = [];
    for (let cursor = START; ; ) {
      const step = await readChanges(t.db.sql, jobId, cursor, 3);
      if (step.length === 0) break;
      expect(step.length).toBeLessThanOrEqual(3);
      seen.push(...step);
      cursor = step[step.length - 1].ordinal;
    }
    expect(seen).toEqual(NEWEST_FIRST);
  });

  test("a revert resumed after any number of changes goes on from the next one", async () => {
    expect(await revertCursor(t.db.sql, jobId, 0)).toBe(START);
    for (let done = 1; done <= NEWEST_FIRST.length; done++) {
      expect(await revertCursor(t.db.sql, jobId, done), `after ${done}`).toBe(NEWEST_FIRST[done - 1].ordinal);
      const rest = await readChanges(t.db.sql, jobId, await revertCursor(t.db.sql, jobId, done), 100);
      expect(rest).toEqual(NEWEST_FIRST.slice(done));
    }
    expect(await revertCursor(t.db.sql, jobId, NEWEST_FIRST.length + 1)).toBe(-1);
  });

  test("erasure makes the member's own entry a tombstone and leaves the rest, also where its id is another's name", async () => {
    await t.db.sql.tx((q) => eraseFromBeforeImages(q, "E-1"));
    const after = await readChanges(t.db.sql, jobId, START, 100);
    expect(after.map((c) => c.ordinal)).toEqual(NEWEST_FIRST.map((c) => c.ordinal));
    const erased = after.find((c) => c.ordinal === 9)!;
    expect(erased.externalId.startsWith(ERASED_PREFIX)).toBe(true);
    expect(erased.before).toBeNull();
    expect(after.filter((c) => c.ordinal !== 9)).toEqual(NEWEST_FIRST.filter((c) => c.ordinal !== 9));
    const rows = await t.db.prisma.importChange.findMany({ where: { jobId } });
    expect(rows.filter((r) => r.entries.includes("Erin"))).toEqual([]);
    expect(rows.filter((r) => r.entries.includes('"E-1"')).map((r) => r.firstOrdinal)).toEqual([7]); // B-7's name
  });
});
