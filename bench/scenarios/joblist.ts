// joblist (issue 20): GET /api/deferred_results answers in under 50 ms at
// p95 with BENCH_JOBLIST_JOBS (100,000) jobs of one API user, on both
// databases. In-process, as the members scenario: a fresh database migrated
// by scripts/migrate.ts, the jobs written straight by SQL (joblist-seed.ts),
// then each request is what the route does (its URL parameters parsed, then
// listDeferredResults), timed from the parameters to the page, no HTTP.
// Kinds: the first page, each status and source filter, one of both, and
// pages deep in the list reached by following `next`. The plan of each
// kind's statement that finds the page is printed, so the index it uses is
// on record.
import { execFileSync } from "node:child_process";
import { createDb, type Db } from "../../lib/db/client";
import { JOB_LIST_DEFAULT, listDeferredResults, pageIdsSql, parseDeferredResultListQuery } from "../../lib/imports/list-deferred-results";
import { config, type Dialect } from "../config";
import { freshDatabase } from "../database";
import { MEASURED_USER, seedJobs } from "../joblist-seed";
import { check, dist, fmtInt, fmtS, line, printChecks, writeSummary, type Check, type Dist } from "../report";

const TARGET_MS = 50;

/** A kind of request: `params` asked `runs` times, or a walk that follows `next` for `pages` pages after `skip` unmeasured ones. */
type Kind = { name: string; params: string; walk?: { pages: number; skip?: number } };
type Measured = { name: string; params: string; request: Dist; items: number; plan: string[]; times: number[] };

async function request(db: Db, params: string): Promise<{ ms: number; items: number; next: string | null }> {
  const t0 = performance.now();
  const page = await listDeferredResults(db, MEASURED_USER, parseDeferredResultListQuery(new URLSearchParams(params)));
  return { ms: performance.now() - t0, items: page.deferred_results.length, next: page.next };
}

const paramsOf = (next: string) => new URL(next, "http://bench").searchParams.toString();

function kinds(jobs: number, runs: number): Kind[] {
  const lastPages = Math.max(1, Math.floor(jobs / 50) - runs);
  return [
    { name: "first page (50)", params: "" },
    { name: "first page, limit=100", params: "limit=100" },
    ...(["running", "ready", "failed", "cancelled"] as const).map((s) => ({ name: `status=${s}`, params: `status=${s}` })),
    ...(["records", "csv_url", "revert"] as const).map((s) => ({ name: `source=${s}`, params: `source=${s}` })),
    { name: "status=failed&source=csv_url", params: "status=failed&source=csv_url" },
    // few match, and the source alone is most of the list
    { name: "status=running&source=records", params: "status=running&source=records" },
    { name: "status=cancelled&source=revert (none)", params: "status=cancelled&source=revert" },
    { name: `pages 2-${runs * 5 + 1} following next`, params: "", walk: { pages: runs * 5 } },
    { name: `the last ${runs} pages following next`, params: "", walk: { pages: runs, skip: lastPages } },
    { name: "status=failed, every page", params: "status=failed", walk: { pages: jobs } },
    { name: "status=cancelled, every page", params: "status=cancelled", walk: { pages: jobs } },
    { name: "source=revert, every page", params: "source=revert", walk: { pages: jobs } },
    { name: "status=failed&source=csv_url, every page", params: "status=failed&source=csv_url", walk: { pages: jobs } },
  ];
}

async function measure(db: Db, kind: Kind, runs: number): Promise<Measured> {
  const times: number[] = [];
  let items = 0;
  await request(db, kind.params); // warm-up
  if (!kind.walk) {
    for (let i = 0; i < runs; i++) {
      const a = await request(db, kind.params);
      times.push(a.ms);
      items = a.items;
    }
  } else {
    let params = kind.params;
    for (let p = 0; p < (kind.walk.skip ?? 1); p++) {
      const a = await request(db, params);
      if (!a.next) break;
      params = paramsOf(a.next);
    }
    for (let p = 0; p < kind.walk.pages; p++) {
      const a = await request(db, params);
      times.push(a.ms);
      items += a.items;
      if (!a.next) break;
      params = paramsOf(a.next);
    }
  }
  return { name: kind.name, params: kind.params, request: dist(times), items, plan: await plan(db, kind.params), times };
}

/** The plan of the statement that finds the page's jobs (the kind's first page). */
async function plan(db: Db, params: string): Promise<string[]> {
  const query = parseDeferredResultListQuery(new URLSearchParams(params));
  const { sql, params: args } = pageIdsSql(db.dialect, MEASURED_USER, query, (query.limit ?? JOB_LIST_DEFAULT) + 1);
  if (db.dialect === "postgresql") {
    const rows = await db.sql.all<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, args);
    return rows.map((r) => r["QUERY PLAN"]);
  }
  const rows = await db.sql.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, args);
  return rows.map((r) => r.detail);
}

const ms = (v: number) => `${v < 10 ? v.toFixed(1) : Math.round(v)} ms`.padStart(8);

export async function joblist(dialect: Dialect) {
  const say = (s: string) => line("joblist", dialect, s);
  const fresh = await freshDatabase(dialect);
  let db: Db | undefined;
  try {
    execFileSync(process.execPath, [...process.execArgv, "scripts/migrate.ts"], { cwd: config.root, env: { ...process.env, DATABASE_URL: fresh.url }, stdio: "inherit" });
    db = createDb(fresh.url);
    say(`seeding ${fmtInt(config.joblistJobs)} jobs of one API user and half as many others' by SQL …`);
    const seeded = await seedJobs(db, config.joblistJobs);
    say(
      `seeded ${fmtInt(seeded.jobs)} jobs (${Object.entries(seeded.byStatus).map(([k, v]) => `${k} ${fmtInt(v)}`).join(", ")}; ` +
        `${Object.entries(seeded.bySource).map(([k, v]) => `${k} ${fmtInt(v)}`).join(", ")}) and ${fmtInt(seeded.others)} others' in ${fmtS(seeded.ms)}; ` +
        `statistics refreshed: ${seeded.analysed.join(", ") || "none"}`,
    );
    const runs = config.joblistRuns;
    say(`requests (parameters parsed, then listDeferredResults), ${runs} a kind or every page of a walk, target p95 < ${TARGET_MS} ms:`);
    const measured: Measured[] = [];
    for (const kind of kinds(seeded.jobs, runs)) {
      const m = await measure(db, kind, runs);
      measured.push(m);
      say(`  ${m.name.padEnd(42)} p50 ${ms(m.request.p50)}  p95 ${ms(m.request.p95)}  max ${ms(m.request.max)}  n=${m.request.n}  (${fmtInt(m.items)} jobs${kind.walk ? " in all" : " a page"})`);
      const used = m.plan.filter((l) => /index|scan|sort|b-tree/i.test(l)).slice(0, 4);
      say(`    plan: ${used.map((l) => l.trim()).join(" | ")}`);
    }
    const overall = dist(measured.flatMap((m) => m.times));
    say(`all requests: p50 ${ms(overall.p50)}, p95 ${ms(overall.p95)}, max ${ms(overall.max)} (n=${overall.n})`);
    const checks: Check[] = measured.map((m) => check(`${m.name} p95 < ${TARGET_MS} ms`, m.request.p95 < TARGET_MS, `p95 ${m.request.p95} ms, max ${m.request.max} ms (n=${m.request.n})`));
    printChecks("joblist", dialect, checks);
    const path = writeSummary("joblist", dialect, {
      jobs: seeded.jobs,
      others: seeded.others,
      seed: { ms: Math.round(seeded.ms), by_status: seeded.byStatus, by_source: seeded.bySource, analysed: seeded.analysed },
      requests: overall,
      kinds: measured.map((m) => ({ ...m, times: undefined })),
      checks,
    });
    say(`summary: ${path}`);
  } finally {
    await db?.close();
    await fresh.drop();
  }
}
