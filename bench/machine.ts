// Who used the CPU during a scenario: the 2 cores may be shared with other
// work, so each scenario reports the CPU time of the bench and everything it
// started (the app, the floor, the fixture), of PostgreSQL's processes, and
// of everything else on the machine, from /proc.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { processTree } from "./app";

const HZ = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

type Snap = { at: number; busy: number; ours: number; postgres: number };

/** utime+stime+cutime+cstime of a process (children that exited and were waited for are included). */
function jiffies(pid: number): { comm: string; j: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { comm, j: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) };
  } catch {
    return null;
  }
}

export function cpuSnapshot(): Snap {
  const cpu = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  const busy = cpu[0] + cpu[1] + cpu[2] + cpu[5] + cpu[6] + cpu[7];
  const ours = processTree(process.pid).reduce((a, p) => a + (jiffies(p)?.j ?? 0), 0);
  let postgres = 0;
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    const s = jiffies(Number(d));
    if (s && (s.comm === "postgres" || s.comm.startsWith("postgres:"))) postgres += s.j;
  }
  return { at: performance.now(), busy, ours, postgres };
}

export type CpuUse = { wall_s: number; machine_busy_core_s: number; bench_and_app_core_s: number; postgres_core_s: number; other_core_s: number };

export function cpuUse(a: Snap, b: Snap): CpuUse {
  const r = (j: number) => Math.round((j / HZ) * 10) / 10;
  const busy = r(b.busy - a.busy);
  const ours = r(b.ours - a.ours);
  const pgs = r(b.postgres - a.postgres);
  return {
    wall_s: Math.round((b.at - a.at) / 100) / 10,
    machine_busy_core_s: busy,
    bench_and_app_core_s: ours,
    postgres_core_s: pgs,
    other_core_s: Math.max(0, Math.round((busy - ours - pgs) * 10) / 10),
  };
}

/** The part of the app (or the bench) a process is, from its command line. */
function roleOf(pid: number, benchPid: number): string {
  if (pid === benchPid) return "bench client";
  let cmd = "";
  try {
    cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
  } catch {
    return "other";
  }
  if (cmd.includes("scripts/worker.ts")) return "engine";
  if (cmd.includes("floor-server.ts")) return "floor server";
  if (cmd.includes("scripts/front.ts")) return "front server";
  if (/next(-server| start)/.test(cmd) || cmd.includes("next/dist")) return "next";
  if (cmd.includes("start.mjs")) return "supervisor";
  return "other";
}

type RoleSnap = Map<number, { role: string; j: number }>;

/** CPU time so far of each process of the bench's tree (threads included), and of PostgreSQL's. */
export function cpuByProcess(): RoleSnap {
  const out: RoleSnap = new Map();
  for (const pid of processTree(process.pid)) {
    const s = jiffies(pid);
    if (s) out.set(pid, { role: roleOf(pid, process.pid), j: s.j });
  }
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    const s = jiffies(Number(d));
    if (s && (s.comm === "postgres" || s.comm.startsWith("postgres:"))) out.set(Number(d), { role: "postgres", j: s.j });
  }
  return out;
}

/** Core-milliseconds each role used between two snapshots (a process that exited meanwhile is not counted). */
export function cpuByRole(a: RoleSnap, b: RoleSnap): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [pid, after] of b) {
    const before = a.get(pid)?.j ?? 0;
    out[after.role] = (out[after.role] ?? 0) + ((after.j - before) / HZ) * 1000;
  }
  return out;
}
