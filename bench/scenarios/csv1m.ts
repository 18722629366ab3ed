// csv1m: one CSV by URL of BENCH_CSV_ROWS (1,000,000) rows from a local fixture
// server; while it runs, the RSS of the app's process tree every 250 ms and
// the latency of API reads and of a staff page, sequentially, a few per
// second each. Targets: ready < 30 s, RSS growth < 150 MB, p99 < 200 ms.
import { config, type Dialect } from "../config";
import { startApp, submit, waitDone, type App } from "../app";
import { startChild } from "../child";
import { sleep, TimeoutError } from "../http";
import { check, dist, fmtDist, fmtInt, fmtS, line, printChecks, writeSummary } from "../report";
import { mb, sampleRss } from "../rss";
import { cpuByProcess, cpuByRole } from "../machine";

type Kind = "deferred_result" | "target" | "page";

export async function csv1m(dialect: Dialect) {
  const say = (s: string) => line("csv1m", dialect, s);
  const rows = config.csvRows;
  const fixture = await startChild("csv-fixture.ts", [String(rows)]);
  const served: { complete: boolean; bytes: number; ms: number }[] = [];
  fixture.child.on("message", (m: { event?: string; complete: boolean; bytes: number; ms: number }) => {
    if (m?.event === "served") served.push(m);
  });
  let app: App | undefined;
  try {
    app = await startApp(dialect, "csv1m", { CSV_URL_ALLOWED_HOSTS: "127.0.0.1" });
    const csvUrl = `http://127.0.0.1:${fixture.port}/targets.csv`;

    // a target to read during the import, and warm routes
    const probe = await submit(app, JSON.stringify({ records: [{ external_id: "probe-1", first_name: "Probe", email: "probe@example.net" }] }));
    await waitDone(app, probe.id);
    const kinds: Record<Kind, (id: string) => Promise<{ status: number; ms: number; body: string }>> = {
      deferred_result: (id) => app!.api(`/api/deferred_results/${id}`, { timeoutMs: config.requestTimeoutMs }),
      target: () => app!.api("/api/targets/probe-1", { timeoutMs: config.requestTimeoutMs }),
      page: () => app!.page("/imports", { timeoutMs: config.requestTimeoutMs }),
    };
    for (let i = 0; i < 5; i++) for (const k of Object.values(kinds)) await k(probe.id);
    await sleep(1_000);

    const rss = sampleRss(app, config.rssIntervalMs);
    await sleep(1_000);
    const beforeKb = rss.samples[rss.samples.length - 1].kb;
    say(`submitting a CSV of ${fmtInt(rows)} rows by URL …`);
    const cpu0 = cpuByProcess();
    const t0 = performance.now();
    const sub = await submit(app, JSON.stringify({ csv_url: csvUrl }));
    const submittedAt = performance.now();

    // sequential probes in turn until the deferred result is no longer running
    const lat: Record<Kind, number[]> = { deferred_result: [], target: [], page: [] };
    const bad: Record<Kind, number> = { deferred_result: 0, target: 0, page: 0 };
    const order: Kind[] = ["deferred_result", "target", "page"];
    let final: { status: string; result?: Record<string, unknown>; error?: unknown; progress?: unknown } | undefined;
    let readyAt = 0;
    let lastProgress = "";
    const progress: { t_ms: number; processed: number; total: number | null }[] = [];
    const end = Date.now() + config.waitLimitMs;
    for (let n = 0; !final; n++) {
      const kind = order[n % 3];
      const start = performance.now();
      try {
        const r = await kinds[kind](sub.id);
        lat[kind].push(r.ms);
        if (r.status !== 200) bad[kind]++;
        else if (kind === "deferred_result") {
          const d = JSON.parse(r.body);
          if (d.status !== "running") {
            final = d;
            readyAt = performance.now();
          } else {
            lastProgress = JSON.stringify(d.progress);
            if (typeof d.progress?.processed === "number")
              progress.push({ t_ms: Math.round(performance.now() - t0), processed: d.progress.processed, total: d.progress.total ?? null });
          }
        }
      } catch (e) {
        if (!(e instanceof TimeoutError)) throw e;
        lat[kind].push(config.requestTimeoutMs);
        bad[kind]++;
      }
      if (Date.now() > end) throw new Error(`CSV job still running after ${config.waitLimitMs / 1000} s (progress ${lastProgress})`);
      const wait = start + config.probeIntervalMs - performance.now();
      if (wait > 0) await sleep(wait);
    }
    const cpu = cpuByRole(cpu0, cpuByProcess());
    const r = rss.stop();
    const readyMs = readyAt - t0;
    const peakKb = Math.max(...r.samples.filter((s) => s.t_ms >= 1000).map((s) => s.kb));
    const growthMb = mb(peakKb - beforeKb);
    const reads = dist([...lat.deferred_result, ...lat.target]);
    const page = dist(lat.page);
    const res = final!.result as { total?: number; created?: number; rejected?: number } | undefined;

    say(`job ${final!.status} in ${fmtS(readyMs)} (submit answered in ${Math.round(submittedAt - t0)} ms): ` +
      (res ? `total ${fmtInt(res.total ?? 0)}, created ${fmtInt(res.created ?? 0)}, rejected ${fmtInt(res.rejected ?? 0)}` : JSON.stringify(final!.error)) +
      ` = ${fmtInt((rows / readyMs) * 1000)} rows/s`);
    // the merge's pace over the run: rows processed per second in each quarter of the time to ready
    const quarters = [1, 2, 3, 4].map((q) => {
      const at = (t: number) => {
        let p = 0;
        for (const s of progress) if (s.t_ms <= t) p = s.processed;
        return p;
      };
      const a = ((q - 1) * readyMs) / 4, b = (q * readyMs) / 4;
      return Math.round(((q === 4 ? rows : at(b)) - at(a)) / ((b - a) / 1000));
    });
    say(`progress (as the deferred result reports it), rows/s in each quarter of the time: ${quarters.map(fmtInt).join(", ")}`);
    const per1k = (ms: number) => ((ms / rows) * 1000).toFixed(1);
    say(
      `CPU per 1,000 rows from submit to ready (core-ms; wall ${per1k(readyMs)} ms on 2 cores): ` +
        Object.entries(cpu)
          .sort((x, y) => y[1] - x[1])
          .map(([role, ms]) => `${role} ${per1k(ms)}`)
          .join(", "),
    );
    say(`fixture served: ${served.map((s) => `${(s.bytes / 1e6).toFixed(1)} MB in ${fmtS(s.ms)}${s.complete ? "" : " (cut short)"}`).join("; ") || "nothing"}`);
    say(`RSS of the app's process tree (${r.samples[r.samples.length - 1].pids} processes): before ${mb(beforeKb).toFixed(0)} MB, peak ${mb(peakKb).toFixed(0)} MB, growth ${growthMb.toFixed(0)} MB, after ${mb(r.lastKb).toFixed(0)} MB`);
    say(`API reads (deferred result + target): ${fmtDist(reads)}; non-200/timeouts ${bad.deferred_result + bad.target}`);
    say(`  GET /api/deferred_results/<id>: ${fmtDist(dist(lat.deferred_result))}`);
    say(`  GET /api/targets/<id>:          ${fmtDist(dist(lat.target))}`);
    say(`staff page GET /imports: ${fmtDist(page)}; non-200/timeouts ${bad.page}`);

    const ok = final!.status === "ready" && res?.created === rows && res?.rejected === 0;
    const checks = [
      check("ready < 30 s", ok && readyMs < 30_000, `${final!.status} in ${fmtS(readyMs)}${ok ? "" : " (result not as expected)"}`),
      check("RSS growth < 150 MB", growthMb < 150, `${growthMb.toFixed(0)} MB (${mb(beforeKb).toFixed(0)} → ${mb(peakKb).toFixed(0)} MB)`),
      check("read p99 < 200 ms", reads.p99 < 200 && bad.deferred_result + bad.target === 0, `p99 ${Math.round(reads.p99)} ms, max ${Math.round(reads.max)} ms`),
      check("page p99 < 200 ms", page.p99 < 200 && bad.page === 0, `p99 ${Math.round(page.p99)} ms, max ${Math.round(page.max)} ms`),
    ];
    printChecks("csv1m", dialect, checks);
    const path = writeSummary("csv1m", dialect, {
      rows,
      status: final!.status,
      result: final!.result ?? null,
      error: final!.error ?? null,
      ready_ms: Math.round(readyMs),
      served,
      rss_mb: { before: mb(beforeKb), peak: mb(peakKb), growth: growthMb, after: mb(r.lastKb) },
      latency_ms: { reads, deferred_result: dist(lat.deferred_result), target: dist(lat.target), page },
      non_200_or_timeout: bad,
      checks,
      progress_rows_per_s_by_quarter: quarters,
      cpu_core_ms_by_role: cpu,
      progress_samples: progress,
      rss_samples: r.samples,
    });
    say(`summary: ${path}`);
  } finally {
    await app?.stop();
    await fixture.stop();
  }
}
