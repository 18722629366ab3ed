// `npm run bench`: the product's targets measured over real HTTP against the
// app started as a user starts it (see bench/README.md).
//   BENCH_SCENARIOS=throughput,load,csv1m,latency BENCH_DIALECTS=sqlite,postgresql npm run bench
import { config, type Dialect, type Scenario } from "./config";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cpuSnapshot, cpuUse } from "./machine";
import { context, load1, writeSummary } from "./report";
import { csv1m } from "./scenarios/csv1m";
import { hostile } from "./scenarios/hostile";
import { latency } from "./scenarios/latency";
import { load } from "./scenarios/load";
import { joblist } from "./scenarios/joblist";
import { members } from "./scenarios/members";
import { throughput } from "./scenarios/throughput";

const run: Record<Scenario, (d: Dialect) => Promise<void>> = { throughput, load, csv1m, latency, hostile, members, joblist };

console.log(
  `bench: app in ${context.app_dir} at ${context.app_commit || "?"}${context.app_uncommitted_changes ? " with uncommitted changes" : ""}; ` +
    `node ${context.node}, ${context.cpus} cores; scenarios ${config.scenarios.join(",")}; dialects ${config.dialects.join(",")}`,
);
let failed = 0;
for (const scenario of config.scenarios) {
  for (const dialect of config.dialects) {
    const before = load1();
    console.log(`[${scenario} ${dialect}] start; machine load average (1 min) ${before}`);
    const cpu0 = cpuSnapshot();
    try {
      await run[scenario](dialect);
      const cpu = cpuUse(cpu0, cpuSnapshot());
      console.log(
        `[${scenario} ${dialect}] done; load average (1 min) ${before} at start, ${load1()} at end; CPU over ${cpu.wall_s} s on ${context.cpus} cores: ` +
          `bench+app ${cpu.bench_and_app_core_s} core-s, postgres ${cpu.postgres_core_s} core-s, other processes ${cpu.other_core_s} core-s`,
      );
      // add it to the scenario's summary
      const path = join(config.outDir, `${scenario}-${dialect}.json`);
      if (existsSync(path)) {
        const summary = JSON.parse(readFileSync(path, "utf8"));
        writeFileSync(path, JSON.stringify({ ...summary, load_average_1m_at_start: before, cpu }, null, 2) + "\n");
      }
    } catch (e) {
      failed++;
      const message = e instanceof Error ? e.stack ?? e.message : String(e);
      console.error(`[${scenario} ${dialect}] FAILED: ${message}`);
      writeSummary(scenario, dialect, { failed: true, error: message });
    }
  }
}
process.exit(failed ? 1 : 0);
