// `npm start`: builds the app when the build is missing or older than the
// source, applies pending migrations (the embedded SQLite database under data/
// is created on first start), then runs and supervises three processes:
// - the front server (scripts/front.ts) on the public port (PORT, default
//   3000, or -p; -H for the address): answers the bulk upsert itself and
//   passes everything else to
// - the web app (`next start`) on a loopback port. Neither ever merges.
// - the import engine (scripts/worker.ts), unless WORKER_IN_APP=false: it
//   stages, normalises and merges. It runs at a lower CPU priority (nice 10),
//   so a busy engine never slows the answers; it is restarted if it dies.
// If the front or the web app stops, everything stops (a process manager
// restarts the whole). Ctrl-C / SIGTERM stops all three; the engine hands
// back its job between batches.
import { spawnSync, spawn } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

const SOURCES = ["app", "components", "lib", "prisma", "instrumentation.ts", "proxy.ts", "next.config.js", "package.json"];
// how our TypeScript runs, as package.json's scripts run it (its config.nodeTs)
const TSX = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).config.nodeTs.split(" ");
const ENGINE_NICE = 10;
// the engine's heap, as lib/queue/normalise-pool.ts ENGINE_HEAP_MB (memory stays flat)
const ENGINE_HEAP = "--max-old-space-size=128";

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === "generated" || entry === "node_modules") continue;
    max = Math.max(max, newestMtime(join(path, entry)));
  }
  return max;
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const buildId = ".next/BUILD_ID";
const stale = !existsSync(buildId) || Math.max(...SOURCES.map(newestMtime)) > statSync(buildId).mtimeMs;
if (stale) run(process.execPath, ["node_modules/next/dist/bin/next", "build"]);
run(process.execPath, [...TSX, "scripts/migrate.ts"]);

/** `-p 4000`, `--port=4000`, `-H 127.0.0.1`…: the public address is the front's; the rest goes to next start. */
function splitArgs(argv) {
  const out = { port: process.env.PORT ?? "3000", host: "", rest: [] };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const take = () => inline ?? argv[++i];
    if (flag === "-p" || flag === "--port") out.port = take();
    else if (flag === "-H" || flag === "--hostname") out.host = take();
    else out.rest.push(argv[i]);
  }
  return out;
}

/**
 * A loopback port free now, for the web app behind the front. Drawn below
 * Linux's ephemeral range (32768–60999): a port the kernel hands out there
 * may be taken by any outgoing connection (a database client's) before the
 * web app binds it, and then the app stops at start.
 */
async function freePort() {
  for (let tries = 0; ; tries++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise((resolve) => {
      const srv = createServer().once("error", () => resolve(false));
      srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
    });
    if (free) return port;
    if (tries === 100) throw new Error("no free loopback port between 20000 and 32000 for the web app");
  }
}

let stopping = false;
const engineWanted = !/^(false|0)$/i.test(process.env.WORKER_IN_APP ?? "true");
const hasNice = spawnSync("nice", ["-n", "0", "true"]).status === 0;
const args = splitArgs(process.argv.slice(2));
const nextPort = String(await freePort());

const server = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", nextPort, "-H", "127.0.0.1", ...args.rest], {
  stdio: "inherit",
});
const front = spawn(process.execPath, [...TSX, "scripts/front.ts"], {
  stdio: ["ignore", "inherit", "inherit", "ipc"],
  env: { ...process.env, FRONT_PORT: args.port, FRONT_HOST: args.host, FRONT_NEXT_PORT: nextPort },
});

let engine = null;
let restartDelay = 1_000;
function startEngine() {
  const args = [ENGINE_HEAP, ...TSX, "scripts/worker.ts"];
  const startedAt = Date.now();
  // an IPC channel: the engine stops when this process goes, however it goes
  const stdio = ["ignore", "inherit", "inherit", "ipc"];
  engine = hasNice
    ? spawn("nice", ["-n", String(ENGINE_NICE), process.execPath, ...args], { stdio })
    : spawn(process.execPath, args, { stdio });
  engine.on("exit", (code, signal) => {
    engine = null;
    if (stopping) return;
    if (Date.now() - startedAt > 60_000) restartDelay = 1_000;
    console.error(`import engine stopped (${signal ?? `exit ${code}`}); restarting in ${restartDelay / 1000} s`);
    setTimeout(() => !stopping && startEngine(), restartDelay);
    restartDelay = Math.min(restartDelay * 2, 30_000);
  });
}
if (engineWanted) startEngine();
// The front's load reports go to the engine, which gives way while the front
// is busy (lib/queue/front-pressure.ts).
front.on("message", (m) => {
  if (engine?.connected) engine.send(m, () => {}); // an engine that has just gone misses one report
});

const children = () => [server, front, engine].filter((c) => c && c.exitCode === null && c.signalCode === null);
function stopAll(signal) {
  stopping = true;
  for (const c of children()) c.kill(signal);
}
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => stopAll(signal));
for (const web of [server, front]) {
  web.on("exit", (code) => {
    if (!stopping) console.error(`${web === server ? "the web app" : "the front server"} stopped (exit ${code}); stopping`);
    stopAll("SIGTERM");
    const left = children();
    if (left.length === 0) process.exit(code ?? 0);
    let pending = left.length;
    for (const c of left) c.on("exit", () => --pending === 0 && process.exit(code ?? 0));
  });
}
