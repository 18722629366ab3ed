// The ordering rule, tested against a reference model: many overlapping
// random jobs (repeated external_ids, shared emails and phones, clears, bad
// values, both strategies, records split across chunks), merged by several
// workers; every job's outcome and the final stored state must equal
// applying the records one at a time, jobs in acceptance order.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { getDeferredResult, listImportErrors, type DeferredResult } from "@/lib/imports/deferred-result";
import { submitImport } from "@/lib/imports/submit-import";
import { rowToTarget } from "@/lib/merge/target-store";
import { startWorker } from "@/lib/queue/worker";
import { ReferenceModel, randomRecord, rng, sortKeys, type RefOutcome, type RefTarget } from "../support/reference-model";
import { createTestDb, DIALECTS, waitFor, type TestDb } from "../support/test-db";

const SEEDS = (process.env.MODEL_SEEDS ?? "1,2,3").split(",").map(Number);

async function allErrors(t: TestDb, id: string, first: DeferredResult) {
  const entries = [...first.result!.errors];
  let next = first.result!.errors_next;
  while (next) {
    const cursor = new URL(next, "http://x").searchParams.get("cursor");
    const page = await listImportErrors(t.db, id, { staff: true }, cursor);
    entries.push(...page.errors);
    next = page.errors_next;
  }
  return entries;
}

async function storedTargets(t: TestDb): Promise<Map<string, RefTarget>> {
  const rows = (await t.db.prisma.$queryRawUnsafe("SELECT * FROM target")) as Record<string, unknown>[];
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

function expectSameOutcome(actual: DeferredResult, entries: DeferredResult["result"] extends infer R ? R extends { errors: infer E } ? E : never : never, expected: RefOutcome, label: string) {
  expect(actual.status, label).toBe("ready");
  const r = actual.result!;
  expect(
    { total: r.total, created: r.created, updated: r.updated, unchanged: r.unchanged, rejected: r.rejected, conflictsIgnored: r.conflicts_ignored },
    label,
  ).toEqual({
    total: expected.total,
    created: expected.created,
    updated: expected.updated,
    unchanged: expected.unchanged,
    rejected: expected.rejected,
    conflictsIgnored: expected.conflictsIgnored,
  });
  expect(r.created + r.updated + r.unchanged + r.rejected, label).toBe(r.total);
  const key = (e: { position: number; code: string; field: string; conflicting?: string[] }) =>
    `${e.position}|${e.code}|${e.field}|${(e.conflicting ?? []).join(",")}`;
  const got = entries.map((e) => key({ position: e.index!, code: e.code, field: e.field!, conflicting: e.conflicting_external_ids })).sort();
  expect(got, label).toEqual(expected.entries.map(key).sort());
}

// Both ways the engine can run: normalising on its main thread, and with
// normaliser threads preparing batches (and the next job's first batch) ahead.
const MODES = [
  { name: "inline", threads: 0 },
  { name: "parallel", threads: 2 },
];

describe.each(DIALECTS.flatMap((dialect) => MODES.map((mode) => ({ dialect, ...mode }))))(
  "merge against the reference model ($dialect, $name)",
  ({ dialect, threads }) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(dialect);
    await t.db.prisma.customField.create({ data: { slug: "score", label: "Score", kind: "float" } });
  });
  afterAll(async () => t?.drop());

  test.each(SEEDS)("seed %i: random overlapping jobs, three workers", async (seed) => {
    const r = rng(seed);
    const model = new ReferenceModel();
    // earlier seeds left targets behind: start the model from what is stored
    for (const [id, target] of await storedTargets(t)) model.targets.set(id, target);

    const jobs: { id: string; expected: RefOutcome }[] = [];
    const jobCount = 25;
    for (let j = 0; j < jobCount; j++) {
      const size = r.chance(0.15) ? 150 + r.int(200) : 1 + r.int(40);
      const records = Array.from({ length: size }, () => randomRecord(r, 30));
      const strategy = r.chance(0.5) ? "reject" : "ignore";
      const { id } = await submitImport(t.db, { source: "records", strategy, records: records.map((x) => x.raw) });
      jobs.push({ id, expected: model.applyJob(records, strategy) });
    }

    // three workers, each merging in batches of its own size, so jobs split
    // across transactions differently depending on who holds them
    const workers = [3, 17, 1000].map((batchSize, i) =>
      startWorker(t.db, { id: `w${seed}-${i}`, pollMs: 5, log: () => {}, threads, batchSize }),
    );
    try {
      const last = jobs[jobs.length - 1].id;
      await waitFor(async () => (await getDeferredResult(t.db, last, { staff: true })).status !== "running", 120_000);
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
    }

    for (const [i, job] of jobs.entries()) {
      const result = await getDeferredResult(t.db, job.id, { staff: true });
      expectSameOutcome(result, await allErrors(t, job.id, result), job.expected, `seed ${seed} job ${i}`);
    }
    const stored = await storedTargets(t);
    const expected = new Map([...model.targets].map(([id, v]) => [id, sortKeys(v)]));
    expect(Object.fromEntries(stored)).toEqual(Object.fromEntries(expected));

    // jobs ran strictly one after another, in acceptance order
    const rows = await t.db.prisma.importJob.findMany({ where: { id: { in: jobs.map((j) => j.id) } }, orderBy: { seq: "asc" } });
    for (let i = 1; i < rows.length; i++) {
      expect(rows[i].startedAt!.getTime()).toBeGreaterThanOrEqual(rows[i - 1].finishedAt!.getTime());
    }
  });
},
);
