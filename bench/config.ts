// Settings of `npm run bench`, all from the environment (see bench/README.md).
import { resolve } from "node:path";

export type Dialect = "sqlite" | "postgresql";
export const SCENARIOS = ["throughput", "load", "csv1m", "latency", "hostile", "members", "joblist"] as const;
export type Scenario = (typeof SCENARIOS)[number];

const ROOT = resolve(import.meta.dirname, "..");

function num(name: string, dflt: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return dflt;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got ${JSON.stringify(raw)}`);
  return n;
}

function list<T extends string>(name: string, all: readonly T[]): T[] {
  const raw = process.env[name];
  if (!raw) return [...all];
  const items = raw.split(",").map((s) => s.trim()).filter(Boolean);
  for (const i of items) if (!all.includes(i as T)) throw new Error(`${name}: unknown "${i}" (one of ${all.join(", ")})`);
  return items as T[];
}

export const config = {
  root: ROOT,
  /** The app that is started (`node scripts/start.mjs`); a clean clone keeps a half-edited tree out of the figures. */
  appDir: resolve(process.env.BENCH_APP_DIR ?? ROOT),
  outDir: resolve(ROOT, "bench/out"),
  pgAdminUrl: process.env.BENCH_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres",
  scenarios: list<Scenario>("BENCH_SCENARIOS", SCENARIOS),
  dialects: list<Dialect>("BENCH_DIALECTS", ["sqlite", "postgresql"]),
  /** throughput: requests of 1,000 records sent one after another. */
  throughputRequests: num("BENCH_REQUESTS", 100),
  recordsPerRequest: num("BENCH_RECORDS_PER_REQUEST", 1000),
  /** load: concurrent clients and seconds of load on each server. */
  loadClients: num("BENCH_LOAD_CLIENTS", 50),
  loadSeconds: num("BENCH_LOAD_SECONDS", 20),
  /** a request over this long counts as a timeout (and is abandoned). */
  requestTimeoutMs: num("BENCH_TIMEOUT_MS", 30_000),
  /** csv1m: data rows of the generated CSV. */
  csvRows: num("BENCH_CSV_ROWS", 1_000_000),
  /** csv1m: one probe request (deferred result, target, staff page in turn) starts every this many ms. */
  probeIntervalMs: num("BENCH_PROBE_MS", 100),
  rssIntervalMs: num("BENCH_RSS_MS", 250),
  /** latency: measured jobs after one warm-up. */
  latencyRuns: num("BENCH_LATENCY_RUNS", 5),
  /** how often a deferred result is polled while waiting for `ready`. */
  pollMs: num("BENCH_POLL_MS", 25),
  /** give up waiting for a job (or a queue) after this long. */
  waitLimitMs: num("BENCH_WAIT_LIMIT_S", 1800) * 1000,
  /** members: members seeded, inputs per kind of request, and seconds one kind may take. */
  membersRows: num("BENCH_MEMBERS", 1_000_000),
  membersRuns: num("BENCH_MEMBERS_RUNS", 40),
  membersKindLimitS: num("BENCH_MEMBERS_KIND_S", 20),
  /** joblist: jobs of the measured API user, and requests a kind. */
  joblistJobs: num("BENCH_JOBLIST_JOBS", 100_000),
  joblistRuns: num("BENCH_JOBLIST_RUNS", 40),
  adminEmail: "bench-admin@example.org",
  adminPassword: "bench-admin-password-0123456789",
};
