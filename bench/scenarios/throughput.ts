// throughput: BENCH_REQUESTS (100) requests of 1,000 new records sent one after
// another (each after the previous one's 200), timed from the first submit
// until the last job is ready; beside it, in the same run, the same rows
// (already normalised) upserted straight into the same database.
import { config, type Dialect } from "../config";
import { deferred, startApp, submit, waitDone } from "../app";
import { plainUpsert, type Row } from "../plain-upsert";
import { bulkBody, normalisedRow } from "../records";
import { cpuByProcess, cpuByRole } from "../machine";
import { dist, fmtDist, fmtInt, fmtMs, fmtS, line, writeSummary } from "../report";

export async function throughput(dialect: Dialect) {
  const say = (s: string) => line("throughput", dialect, s);
  const requests = config.throughputRequests;
  const per = config.recordsPerRequest;
  const total = requests * per;
  const app = await startApp(dialect, "throughput");
  try {
    // warm-up: one small job outside the measured range (loads the route and the worker's code)
    const w = await submit(app, bulkBody(49_000_000, 10, "W"));
    await waitDone(app, w.id);

    say(`pipeline: ${requests} requests of ${fmtInt(per)} records over HTTP, one after another …`);
    const submitMs: number[] = [];
    const ids: string[] = [];
    const cpu0 = cpuByProcess();
    const t0 = performance.now();
    for (let k = 0; k < requests; k++) {
      const s = await submit(app, bulkBody(k * per, per));
      submitMs.push(s.ms);
      ids.push(s.id);
    }
    const allSubmittedMs = performance.now() - t0;
    const last = await waitDone(app, ids[ids.length - 1], 50);
    const pipelineMs = last.at - t0;
    const cpu = cpuByRole(cpu0, cpuByProcess());

    // every job: created = 1,000 and rejected = 0
    const bad: string[] = [];
    for (const id of ids) {
      const r = await deferred(app, id);
      if (r.status !== "ready" || r.result?.created !== per || r.result?.rejected !== 0)
        bad.push(`${id}: ${r.status} ${JSON.stringify(r.result ?? r.error).slice(0, 300)}`);
    }
    await app.stop({ keepDatabase: true });

    say(`plain bulk upsert: the same ${fmtInt(total)} rows straight into ${dialect} …`);
    const rows: Row[] = Array.from({ length: total }, (_, g) => normalisedRow(g));
    const plainMs = await plainUpsert(app.db, rows);

    const pipelineRate = (total / pipelineMs) * 1000;
    const plainRate = (total / plainMs) * 1000;
    const submit_ = dist(submitMs);
    say(`pipeline over HTTP: ${fmtInt(total)} records in ${fmtS(pipelineMs)} = ${fmtInt(pipelineRate)} records/s (all ${requests} submits done after ${fmtS(allSubmittedMs)})`);
    say(`submit time per 1,000-record request: mean ${fmtMs(submit_.mean)}; ${fmtDist(submit_)}`);
    const perJob = (ms: number) => (ms / requests).toFixed(1);
    const roles = Object.entries(cpu).sort((x, y) => y[1] - x[1]);
    say(
      `CPU per 1,000-record job meanwhile (core-ms; wall ${perJob(pipelineMs)} ms a job on 2 cores): ` +
        roles.map(([role, ms]) => `${role} ${perJob(ms)}`).join(", ") +
        ` = ${perJob(roles.reduce((a, [, ms]) => a + ms, 0))}`,
    );
    say(`plain bulk upsert: ${fmtInt(total)} rows in ${fmtS(plainMs)} = ${fmtInt(plainRate)} rows/s`);
    say(`ratio pipeline/plain = ${fmtInt(pipelineRate)} / ${fmtInt(plainRate)} = ${(pipelineRate / plainRate).toFixed(4)} (plain is ${(plainRate / pipelineRate).toFixed(1)}× faster)`);
    say(bad.length === 0 ? `results: all ${requests} jobs ready with created=${per}, rejected=0` : `results: ${bad.length} jobs NOT as expected, e.g. ${bad.slice(0, 3).join(" | ")}`);
    const path = writeSummary("throughput", dialect, {
      requests,
      records_per_request: per,
      records: total,
      pipeline: { ms: Math.round(pipelineMs), records_per_s: Math.round(pipelineRate), all_submitted_ms: Math.round(allSubmittedMs), submit_ms: submit_ },
      plain_upsert: { ms: Math.round(plainMs), rows_per_s: Math.round(plainRate) },
      ratio_pipeline_over_plain: pipelineRate / plainRate,
      cpu_core_ms_during_pipeline: Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, Math.round(v)])),
      jobs_not_as_expected: bad,
    });
    say(`summary: ${path}`);
  } finally {
    await app.stop();
    await app.db.drop();
  }
}
