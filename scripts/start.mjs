// `npm start`: builds the app when the build is missing or older than the
// source, applies pending migrations (the embedded SQLite database under data/
// is created on first start), then runs and supervises two processes:
// - the web server (`next start`, PORT default 3000): authenticates, checks,
//   stores and answers; it never merges;
// - the import engine (scripts/worker.ts), unless WORKER_IN_APP=false: it
//   stages, normalises and merges. It runs at a lower CPU priority (nice 10),
//   so a busy engine never slows the answers; it is restarted if it dies.
// Ctrl-C / SIGTERM stops both; the engine hands back a job between batches.
import { spawnSync, spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const SOURCES = ["app", "components", "lib", "prisma", "instrumentation.ts", "proxy.ts", "next.config.js", "package.json"];
// our TypeScript from source; react-server: lib/'s server-only modules may load
const TSX = ["--experimental-wasm-modules", "--no-warnings", "--conditions=react-server", "--import", "tsx"];
const ENGINE_NICE = 10;

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

let stopping = false;
const engineWanted = !/^(false|0)$/i.test(process.env.WORKER_IN_APP ?? "true");
const hasNice = spawnSync("nice", ["-n", "0", "true"]).status === 0;

const server = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", ...process.argv.slice(2)], {
  stdio: "inherit",
});

let engine = null;
let restartDelay = 1_000;
function startEngine() {
  const args = [...TSX, "scripts/worker.ts"];
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

function stopAll(signal) {
  stopping = true;
  server.kill(signal);
  engine?.kill(signal);
}
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => stopAll(signal));
server.on("exit", (code) => {
  stopping = true;
  if (!engine) process.exit(code ?? 0);
  engine.kill("SIGTERM");
  engine.on("exit", () => process.exit(code ?? 0));
});
