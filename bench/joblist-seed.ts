// The `joblist` scenario's database: BENCH_JOBLIST_JOBS jobs of one API user
// (100,000) with every third place in the acceptance order someone else's
// (another API user's, or staff's), written straight into import_job by SQL,
// 500 rows a statement, as they would stand after a year of use: the oldest
// first, the newest 30 still waiting (the queue's head); of the rest 3%
// failed, 1% cancelled, the others ready; 20% CSV by URL, 2% undos (each of
// the job before it, which then says reverted_by), 5% of the records jobs dry
// runs. Then the statistics the engine would refresh.
import { randomUUID } from "node:crypto";
import type { Db } from "../lib/db/client";
import { refreshStatistics } from "../lib/db/statistics";
import { rng } from "./members-data";

const ROWS_A_STATEMENT = 500;
const WAITING = 30;
const DAY = 86_400_000;

export const MEASURED_USER = "bench-api-user";
const OTHER_USER = "bench-other-api-user";

type Job = {
  id: string;
  seq: number;
  status: string;
  source: string;
  conflict_strategy: string;
  dry_run: boolean;
  reverts: string | null;
  reverted_by: string | null;
  api_user_id: string | null;
  staff_user_id: string | null;
  csv_url: string | null;
  staged: boolean;
  total: number | null;
  processed: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  field_changes: string;
  deleted: number;
  restored: number;
  skipped: number;
  error_count: number;
  failure_code: string | null;
  failure_message: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
};

/** Every job, oldest first: `jobs` of the measured user and half as many others'. */
function jobsToSeed(jobs: number): { all: Job[]; measured: Job[] } {
  const r = rng(20);
  const total = Math.floor(jobs * 1.5);
  const yearAgo = Date.now() - 365 * DAY;
  const all: Job[] = [];
  const measured: Job[] = [];
  for (let seq = 1; seq <= total; seq++) {
    const owner = seq % 3 !== 0 ? MEASURED_USER : seq % 2 ? OTHER_USER : null;
    const mine = owner === MEASURED_USER;
    const at = new Date(yearAgo + (seq * 364 * DAY) / total);
    const waiting = mine ? jobs - measured.length <= WAITING : seq > total - WAITING;
    const draw = r();
    const status = waiting ? (mine && jobs - measured.length === WAITING ? "running" : "queued") : draw < 0.03 ? "failed" : draw < 0.04 ? "cancelled" : "ready";
    const kind = r();
    const before = all.at(-1);
    const undo = status === "ready" && kind < 0.02 && before?.status === "ready" && before.source !== "revert" && !before.dry_run && !before.reverted_by;
    const source = undo ? "revert" : kind < 0.22 ? "csv_url" : "records";
    const id = randomUUID();
    if (undo) before!.reverted_by = id;
    const n = source === "csv_url" ? 1 + Math.floor(r() * 50_000) : 1 + Math.floor(r() * 1000);
    const ready = status === "ready";
    const rejected = ready ? Math.floor(n * 0.01) : 0;
    const job: Job = {
      id,
      seq,
      status,
      source,
      conflict_strategy: r() < 0.9 ? "reject" : "ignore",
      dry_run: source === "records" && r() < 0.05,
      reverts: undo ? before!.id : null,
      reverted_by: null,
      api_user_id: owner,
      staff_user_id: owner ? null : "bench-staff-user",
      csv_url: source === "csv_url" ? `https://files.example.org/export-${seq}.csv` : null,
      staged: !waiting,
      total: source === "csv_url" && waiting ? null : n,
      processed: waiting ? 0 : n,
      created: ready && !undo ? Math.floor(n * 0.6) : 0,
      updated: ready && !undo ? n - Math.floor(n * 0.6) - rejected : 0,
      unchanged: 0,
      rejected: undo ? 0 : rejected,
      field_changes: ready && !undo ? '{"email":3,"first_name":1,"branch":12}' : "{}",
      deleted: undo ? Math.floor(n / 2) : 0,
      restored: undo ? n - Math.floor(n / 2) : 0,
      skipped: 0,
      error_count: ready ? rejected : 0,
      failure_code: status === "failed" ? "internal_error" : null,
      failure_message: status === "failed" ? "The job gave up part-way" : null,
      created_at: at,
      started_at: waiting ? null : at,
      finished_at: waiting ? null : new Date(at.getTime() + 2_000),
    };
    all.push(job);
    if (mine) measured.push(job);
  }
  return { all, measured };
}

export type JobsSeeded = { ms: number; jobs: number; others: number; byStatus: Record<string, number>; bySource: Record<string, number>; analysed: string[] };

export async function seedJobs(db: Db, jobs: number): Promise<JobsSeeded> {
  const t0 = performance.now();
  const { all, measured } = jobsToSeed(jobs);
  await db.prisma.apiUser.createMany({ data: [{ id: MEASURED_USER, name: "bench" }, { id: OTHER_USER, name: "someone else" }] });
  const columns = Object.keys(all[0]) as (keyof Job)[];
  const row = `(${columns.map(() => "?").join(", ")})`;
  for (let from = 0; from < all.length; from += ROWS_A_STATEMENT) {
    const part = all.slice(from, from + ROWS_A_STATEMENT);
    await db.sql.run(`INSERT INTO import_job (${columns.join(", ")}) VALUES ${part.map(() => row).join(", ")}`, part.flatMap((j) => columns.map((c) => j[c])));
  }
  // as the engine does after its batches (PostgreSQL; nothing on SQLite)
  const analysed = await refreshStatistics(db.sql);
  const countBy = (key: "status" | "source") => measured.reduce<Record<string, number>>((acc, j) => ((acc[j[key]] = (acc[j[key]] ?? 0) + 1), acc), {});
  return { ms: performance.now() - t0, jobs: measured.length, others: all.length - measured.length, byStatus: countBy("status"), bySource: countBy("source"), analysed };
}
