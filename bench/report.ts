// Figures: percentiles, plain-line printing, and the JSON summary per scenario.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { config, type Dialect, type Scenario } from "./config";

export type Dist = { n: number; p50: number; p95: number; p99: number; max: number; mean: number };

/** Nearest-rank percentiles of a list of milliseconds (0s when empty). */
export function dist(values: number[]): Dist {
  if (values.length === 0) return { n: 0, p50: 0, p95: 0, p99: 0, max: 0, mean: 0 };
  const s = [...values].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
  const round = (v: number) => Math.round(v * 10) / 10;
  return {
    n: s.length,
    p50: round(at(50)),
    p95: round(at(95)),
    p99: round(at(99)),
    max: round(s[s.length - 1]),
    mean: round(s.reduce((a, b) => a + b, 0) / s.length),
  };
}


export const fmtInt = (n: number) => Math.round(n).toLocaleString("en-GB");
export const fmtMs = (ms: number) => `${Math.round(ms)} ms`;
export const fmtS = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
export const fmtDist = (d: Dist) => `p50 ${fmtMs(d.p50)}, p95 ${fmtMs(d.p95)}, p99 ${fmtMs(d.p99)}, max ${fmtMs(d.max)} (n=${d.n})`;

export function line(scenario: Scenario, dialect: Dialect, text: string) {
  console.log(`[${scenario} ${dialect}] ${text}`);
}

export type Check = { name: string; pass: boolean; detail: string };

export function check(name: string, pass: boolean, detail: string): Check {
  return { name, pass, detail };
}

export function printChecks(scenario: Scenario, dialect: Dialect, checks: Check[]) {
  for (const c of checks) line(scenario, dialect, `target ${c.pass ? "MET   " : "MISSED"} ${c.name}: ${c.detail}`);
}

function git(args: string[]): string {
  try {
    return execFileSync("git", args, { cwd: config.appDir, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "";
  }
}

/** What was measured where: the app's commit (and whether its tree had uncommitted changes), the machine. */
export const context = {
  app_dir: config.appDir,
  app_commit: git(["rev-parse", "--short", "HEAD"]),
  app_uncommitted_changes: git(["status", "--porcelain", "--untracked-files=no"]) !== "",
  node: process.version,
  cpus: cpus().length,
};

/** 1-minute load average: the 2 cores may be shared, so every scenario notes it at start and end. */
export const load1 = () => Math.round(loadavg()[0] * 100) / 100;

/** Writes bench/out/<scenario>-<dialect>.json and returns its path. */
export function writeSummary(scenario: Scenario, dialect: Dialect, summary: Record<string, unknown>): string {
  mkdirSync(config.outDir, { recursive: true });
  const path = join(config.outDir, `${scenario}-${dialect}.json`);
  const body = { scenario, dialect, finished_at: new Date().toISOString(), load_average_1m: load1(), ...context, ...summary };
  writeFileSync(path, JSON.stringify(body, null, 2) + "\n");
  return path;
}
