// The ordering rule and safe imports, tested against a reference model: in
// rounds, random overlapping jobs (repeated external_ids, shared emails and
// phones, clears, bad values, both strategies), dry runs, undos of earlier
// jobs (both skip rules) and erasures between rounds, merged by three
// workers with different batch sizes. Every job's outcome (counts,
// field_changes, problems), every undo's outcome, and the final stored state
// must equal the model's, jobs in acceptance order.
import { afterEach, describe, expect, test } from "vitest";
import { SEARCH_COLUMNS, searchColumnValues } from "@/lib/targets/search-columns";
import { getDeferredResult, revertResultOf } from "@/lib/imports/deferred-result";
import { requestRevert } from "@/lib/imports/revert-import";
import { submitImport } from "@/lib/imports/submit-import";
import { rowToTarget } from "@/lib/targets/target-store";
import { startWorker, type WorkerHandle } from "@/lib/queue/worker";
import { eraseTarget } from "@/lib/targets/erase-target";
import {
  ReferenceModel,
  randomRecord,
  rng,
  type RefOutcome,
  type RefRevertOutcome,
} from "../support/reference-model";
import { settledResult } from "../support/engine-db";
import { allErrors, expectImport, expectStoredAsModel, withoutErased } from "../support/model-checks";
import { createTestDb, DIALECTS, waitFor, type TestDb } from "../support/test-db";

const SEEDS = (process.env.MODEL_SEEDS ?? "1,2,3").split(",").map(Number);
const ROUNDS = 4;

// Both ways the engine can run: normalising on its main thread, and with
// normaliser threads preparing batches (and the next job's first batch) ahead.
const MODES = [
  { name: "inline", threads: 0 },
  { name: "parallel", threads: 2 },
];

const seqOf = async (t: TestDb, id: string) => (await t.db.prisma.importJob.findUniqueOrThrow({ where: { id }, select: { seq: true } })).seq!;

async function expectRevert(t: TestDb, id: string, expected: RefRevertOutcome, erased: ReadonlySet<string>, label: string) {
  const actual = await getDeferredResult(t.db, id, { staff: true });
  expect(actual.status, label).toBe("ready");
  expect(actual.source, label).toBe("revert");
  const r = revertResultOf(actual);
  expect({ total: r.total, deleted: r.deleted, restored: r.restored, skipped: r.skipped }, label).toEqual({
    total: expected.total,
    deleted: expected.deleted,
    restored: expected.restored,
    skipped: expected.skipped,
  });
  expect(r.deleted + r.restored + r.skipped, label).toBe(r.total);
  const key = (e: { externalId: string | null; code: string; conflicting?: string[] }) => `${e.externalId}|${e.code}|${(e.conflicting ?? []).join(",")}`;
  const got = (await allErrors(t.db, id, actual)).map((e) =>
    key({ externalId: e.external_id as string | null, code: e.code as string, conflicting: e.conflicting_external_ids as string[] | undefined }),
  );
  const scrubbed = withoutErased(expected.entries, erased).map((e) => (e.externalId && erased.has(e.externalId) ? { ...e, externalId: null } : e));
  expect(got, label).toEqual(scrubbed.map(key));
}

describe.each(DIALECTS.flatMap((dialect) => MODES.map((mode) => ({ dialect, ...mode }))))(
  "jobs, dry runs, undos and erasures against the reference model ($dialect, $name)",
  ({ dialect, threads }) => {
    let t: TestDb | undefined;
    let workers: WorkerHandle[] = [];
    afterEach(async () => {
      await Promise.all(workers.map((w) => w.stop()));
      workers = [];
      await t?.drop();
    });

    test.each(SEEDS)("seed %i", { timeout: 300_000 }, async (seed) => {
      t = await createTestDb(dialect);
      const db = t;
      await db.db.prisma.customField.create({ data: { slug: "score", label: "Score", kind: "float" } });
      const r = rng(seed);
      const model = new ReferenceModel();
      // three workers, each merging in batches of its own size, so jobs split
      // across transactions differently depending on who holds them
      workers = [3, 17, 1000].map((batchSize, i) =>
        startWorker(db.db, { id: `w${seed}-${i}`, pollMs: 5, log: () => {}, threads, batchSize, housekeeping: false }),
      );

      type Ran = { round: number } & (
        | { kind: "job"; id: string; seq: number; dryRun: boolean; expected: RefOutcome }
        | { kind: "revert"; id: string; of: string; expected: RefRevertOutcome }
      );
      /** who was erased after each round: their earlier entries lose them */
      const erasedAfter: string[][] = [];
      const ran: Ran[] = [];
      const revertedBy = new Map<string, string>();
      for (let round = 0; round < ROUNDS; round++) {
        const revertable = ran.filter((x): x is Extract<Ran, { kind: "job" }> => x.kind === "job" && !x.dryRun);
        const thisRound: Ran[] = [];
        const ops = 5 + r.int(6);
        for (let k = 0; k < ops; k++) {
          if (revertable.length && r.chance(0.25)) {
            const original = r.pick(revertable);
            const { id, reused } = await requestRevert(db.db, original.id, { staff: true });
            if (revertedBy.has(original.id)) {
              // asked again: the same undo, no second one
              expect({ id, reused }).toEqual({ id: revertedBy.get(original.id), reused: true });
              continue;
            }
            expect(reused).toBe(false);
            revertedBy.set(original.id, id);
            thisRound.push({ round, kind: "revert", id, of: original.id, expected: model.revert(original.seq, await seqOf(db, id)) });
            continue;
          }
          const size = r.chance(0.15) ? 120 + r.int(150) : 1 + r.int(40);
          const records = Array.from({ length: size }, () => randomRecord(r, 30));
          const strategy = r.chance(0.5) ? "reject" : "ignore";
          const dryRun = r.chance(0.25);
          const { id } = await submitImport(db.db, { source: "records", strategy, dryRun, records: records.map((x) => x.raw) });
          const seq = await seqOf(db, id);
          thisRound.push({ round, kind: "job", id, seq, dryRun, expected: model.applyJob(records, strategy, { seq, dryRun }) });
        }
        ran.push(...thisRound);
        const last = thisRound[thisRound.length - 1];
        if (last) await settledResult(db.db, last.id, 120_000);
        // erasures, at once, between rounds: one stored member, and one unknown
        const stored = [...model.targets.keys()].sort();
        erasedAfter.push([]);
        if (stored.length && r.chance(0.7)) {
          const victim = r.pick(stored);
          await eraseTarget(db.db, victim);
          model.erase(victim);
          erasedAfter[round].push(victim);
        }
        await expect(eraseTarget(db.db, `nobody-${round}`)).rejects.toMatchObject({ code: "not_found" });
      }

      for (const [i, x] of ran.entries()) {
        const label = `seed ${seed} #${i} (${x.kind}${x.kind === "job" && x.dryRun ? ", dry run" : ""})`;
        const erased = new Set(erasedAfter.slice(x.round).flat());
        if (x.kind === "job") await expectImport(db.db, x.id, x.expected, erased, label);
        else await expectRevert(db, x.id, x.expected, erased, label);
      }
      await expectStoredAsModel(db.db, model);
      // whatever wrote a target (merge, undo, erasure's neighbours), the members search reads it as it is
      for (const row of await db.db.sql.all("SELECT * FROM target")) {
        expect(SEARCH_COLUMNS.map((c) => row[c] ?? null)).toEqual(searchColumnValues(rowToTarget(row)));
      }
      // dry runs leave no overlay behind (dropped once the engine has nothing to merge)
      await waitFor(async () => (await db.db.prisma.dryRunTarget.count()) === 0, 30_000);
      // strictly one after another, in acceptance order
      const rows = await db.db.prisma.importJob.findMany({ where: { id: { in: ran.map((x) => x.id) } }, orderBy: { seq: "asc" } });
      for (let i = 1; i < rows.length; i++) {
        expect(rows[i].startedAt!.getTime()).toBeGreaterThanOrEqual(rows[i - 1].finishedAt!.getTime());
      }
      // the undone jobs say so; the others do not
      for (const x of ran) {
        if (x.kind !== "job") continue;
        const d = await getDeferredResult(db.db, x.id, { staff: true });
        expect(d.reverted_by ?? null).toBe(revertedBy.get(x.id) ?? null);
        expect(d.dry_run).toBe(x.dryRun);
      }
    });
  },
);
