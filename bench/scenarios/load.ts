// load (submit under load): BENCH_LOAD_CLIENTS (50) clients posting 1,000-record
// bodies back to back for BENCH_LOAD_SECONDS (20), first against the floor (a
// bare node:http server that parses, checks and stores each body in SQLite),
// then against the app; then the time until the app's queue has drained.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { config, type Dialect } from "../config";
import { deferred, startApp } from "../app";
import { startChild } from "../child";
import { sleep } from "../http";
import { runLoad, type LoadResult } from "../load";
import { bulkBody } from "../records";
import { check, dist, fmtDist, fmtInt, fmtS, line, printChecks, writeSummary } from "../report";
import { mb, sampleRss } from "../rss";
import { cpuByProcess, cpuByRole } from "../machine";

/** Unique records for every request (wrapping far beyond what a run sends). */
function bodies(per: number) {
  let next = 0;
  return () => {
    const from = next;
    next = (next + per) % 49_000_000;
    return bulkBody(from, per, "L");
  };
}

/** Where the p99 comes from: of the requests at or above it, how many were sent in the load's first second. */
function slowestSent(r: LoadResult) {
  const p99 = dist(r.latenciesMs).p99;
  const slow = r.sentAtMs.filter((_, i) => r.latenciesMs[i] >= p99);
  return { at_or_above_p99: slow.length, sent_in_first_second: slow.filter((t) => t < 1_000).length };
}

function summarise(r: LoadResult) {
  const { latenciesMs, ids, ...rest } = r;
  return {
    ...rest,
    sentAtMs: undefined,
    acceptedPerS: Math.round(r.acceptedPerS * 10) / 10,
    ids_recorded: ids.length,
    latency_ms: dist(latenciesMs),
    slowest: slowestSent(r),
  };
}

export async function load(dialect: Dialect) {
  const say = (s: string) => line("load", dialect, s);
  const per = config.recordsPerRequest;
  const base = { clients: config.loadClients, seconds: config.loadSeconds, timeoutMs: config.requestTimeoutMs };
  const bodyBytes = Buffer.byteLength(bulkBody(0, per, "L"));
  say(`${base.clients} clients × ${base.seconds} s of ${fmtInt(per)}-record bodies (${Math.round(bodyBytes / 1024)} KB), a request over ${base.timeoutMs / 1000} s is a timeout`);

  // 1. the floor
  const dir = mkdtempSync(join(tmpdir(), "bench-floor-"));
  let floor: LoadResult;
  let floorCpu: Record<string, number> = {};
  try {
    const server = await startChild("floor-server.ts", [join(dir, "floor.db")]);
    try {
      const cpu0 = cpuByProcess();
      floor = await runLoad({
        ...base,
        url: `http://127.0.0.1:${server.port}/api/targets/bulk_upsert`,
        headers: { "content-type": "application/json", authorization: "Bearer floor" },
        body: bodies(per),
      });
      floorCpu = cpuByRole(cpu0, cpuByProcess());
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const floorLat = dist(floor.latenciesMs);
  const slowest = (r: LoadResult) => {
    const s = slowestSent(r);
    return `the ${s.at_or_above_p99} requests at or above p99 were sent ${s.sent_in_first_second} in the first second, ${s.at_or_above_p99 - s.sent_in_first_second} later`;
  };
  const cpuPer = (cpu: Record<string, number>, n: number) =>
    Object.entries(cpu)
      .sort((x, y) => y[1] - x[1])
      .map(([role, ms]) => `${role} ${(n ? ms / n : 0).toFixed(1)}`)
      .join(", ");
  say(`floor: ${fmtInt(floor.accepted)} accepted in ${fmtS(floor.elapsedMs)} = ${floor.acceptedPerS.toFixed(1)} req/s; latency ${fmtDist(floorLat)}; errors ${floor.errorCount}, timeouts ${floor.timeouts}, connection failures ${floor.failureCount}`);

  // 2. the app
  const app = await startApp(dialect, "load");
  try {
    const warm = await app.api("/api/targets/bulk_upsert", { method: "POST", json: { records: [{ external_id: "warm-up" }] } });
    if (warm.status !== 200) throw new Error(`warm-up submit: ${warm.status} ${warm.body}`);
    await sleep(1_000);
    const rss = sampleRss(app, config.rssIntervalMs);
    const cpu0 = cpuByProcess();
    const appRes = await runLoad({
      ...base,
      url: `${app.baseUrl}/api/targets/bulk_upsert`,
      headers: { "content-type": "application/json", authorization: `Bearer ${app.token}` },
      body: bodies(per),
    });
    const loadEnd = performance.now();
    const cpu = cpuByRole(cpu0, cpuByProcess());
    const appLat = dist(appRes.latenciesMs);
    say(`app:   ${fmtInt(appRes.accepted)} accepted in ${fmtS(appRes.elapsedMs)} = ${appRes.acceptedPerS.toFixed(1)} req/s; latency ${fmtDist(appLat)}; errors ${appRes.errorCount}${appRes.errorCount ? " " + JSON.stringify(appRes.errors) : ""}, timeouts ${appRes.timeouts}, connection failures ${appRes.failureCount}`);
    if (appRes.sampleError) say(`app: first error: ${appRes.sampleError}`);
    say(`floor: ${slowest(floor)}; app: ${slowest(appRes)}`);
    say(`floor: CPU per accepted request (core-ms): ${cpuPer(floorCpu, floor.accepted)}`);
    say(`app: CPU per accepted request during the load (core-ms; the engine merges meanwhile): ${cpuPer(cpu, appRes.accepted)}`);

    // 3. drain: every accepted job done (jobs merge in acceptance order, so mostly one poll each)
    say(`draining the queue of ${fmtInt(appRes.accepted)} accepted jobs …`);
    const end = Date.now() + config.waitLimitMs;
    const status: Record<string, number> = {};
    let created = 0, rejected = 0, k = 0, drained = true;
    while (k < appRes.ids.length) {
      const r = await deferred(app, appRes.ids[k]);
      if (r.status === "running") {
        if (Date.now() > end) {
          drained = false;
          break;
        }
        await sleep(250);
        continue;
      }
      status[r.status] = (status[r.status] ?? 0) + 1;
      created += r.result?.created ?? 0;
      rejected += r.result?.rejected ?? 0;
      k++;
    }
    const drainMs = performance.now() - loadEnd;
    const rssStats = rss.stop();
    say(`app: queue ${drained ? "drained" : "NOT drained"} ${fmtS(drainMs)} after the load ended: ${JSON.stringify(status)}, ${fmtInt(created)} created, ${fmtInt(rejected)} rejected` +
      ` (${fmtInt(((appRes.accepted * per) / (appRes.elapsedMs + drainMs)) * 1000)} records/s from first submit to drained)`);
    say(`app: RSS of the process tree ${mb(rssStats.firstKb).toFixed(0)} MB before, peak ${mb(rssStats.peakKb).toFixed(0)} MB`);

    const ratio = appRes.acceptedPerS / floor.acceptedPerS;
    const checks = [
      check("app req/s ≥ ½ floor req/s", appRes.acceptedPerS >= floor.acceptedPerS / 2,
        `app ${appRes.acceptedPerS.toFixed(1)} req/s vs floor ${floor.acceptedPerS.toFixed(1)} req/s (ratio ${ratio.toFixed(3)})`),
      check("app p99 ≤ 2 × floor p99", appLat.p99 <= 2 * floorLat.p99,
        `app p99 ${Math.round(appLat.p99)} ms vs floor p99 ${Math.round(floorLat.p99)} ms (ratio ${(appLat.p99 / floorLat.p99).toFixed(1)})`),
      check("zero errors and timeouts", appRes.errorCount + appRes.timeouts + appRes.failureCount === 0,
        `app ${appRes.errorCount} errors, ${appRes.timeouts} timeouts, ${appRes.failureCount} connection failures`),
      check("queue drained", drained && (status.ready ?? 0) === appRes.accepted,
        `${status.ready ?? 0}/${appRes.accepted} jobs ready, ${status.failed ?? 0} failed, in ${fmtS(drainMs)}`),
    ];
    printChecks("load", dialect, checks);
    const path = writeSummary("load", dialect, {
      body_bytes: bodyBytes,
      floor: summarise(floor),
      app: summarise(appRes),
      app_cpu_core_ms_by_role: cpu,
      floor_cpu_core_ms_by_role: floorCpu,
      ratio_app_over_floor_req_per_s: ratio,
      ratio_app_over_floor_p99: appLat.p99 / floorLat.p99,
      drain: { drained, ms: Math.round(drainMs), statuses: status, created, rejected },
      app_rss_mb: { before: mb(rssStats.firstKb), peak: mb(rssStats.peakKb) },
      checks,
    });
    say(`summary: ${path}`);
  } finally {
    await app.stop();
  }
}
