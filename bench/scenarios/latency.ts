// latency: on an idle app, one 1,000-record request, from the start of the
// submit until its deferred result says ready; one warm-up, then the median
// of BENCH_LATENCY_RUNS (5). Target < 1 s.
import { config, type Dialect } from "../config";
import { startApp, submit, waitDone } from "../app";
import { sleep } from "../http";
import { bulkBody } from "../records";
import { check, dist, fmtMs, line, printChecks, writeSummary } from "../report";

export async function latency(dialect: Dialect) {
  const say = (s: string) => line("latency", dialect, s);
  const per = config.recordsPerRequest;
  const app = await startApp(dialect, "latency");
  try {
    const runs: { total_ms: number; submit_ms: number }[] = [];
    for (let k = 0; k <= config.latencyRuns; k++) {
      await sleep(1_000); // idle: the queue is empty and the worker is waiting
      const t0 = performance.now();
      const s = await submit(app, bulkBody(k * per, per));
      const done = await waitDone(app, s.id);
      const ms = done.at - t0;
      const r = done.result;
      if (r.status !== "ready" || r.result?.created !== per) throw new Error(`job ${s.id}: ${r.status} ${JSON.stringify(r.result ?? r.error)}`);
      if (k === 0) say(`warm-up: ready in ${fmtMs(ms)} (not counted)`);
      else {
        runs.push({ total_ms: Math.round(ms), submit_ms: Math.round(s.ms) });
        say(`run ${k}: ready in ${fmtMs(ms)} (submit ${fmtMs(s.ms)})`);
      }
    }
    const d = dist(runs.map((r) => r.total_ms));
    say(`submit → ready of one ${per}-record job: median ${fmtMs(d.p50)} (min ${fmtMs(Math.min(...runs.map((r) => r.total_ms)))}, max ${fmtMs(d.max)}; polled every ${config.pollMs} ms)`);
    const checks = [check("ready < 1 s (median)", d.p50 < 1000, `${fmtMs(d.p50)} vs 1000 ms`)];
    printChecks("latency", dialect, checks);
    const path = writeSummary("latency", dialect, { records: per, poll_ms: config.pollMs, runs, median_ms: d.p50, max_ms: d.max, checks });
    say(`summary: ${path}`);
  } finally {
    await app.stop();
  }
}
