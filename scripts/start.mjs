// `npm start`: builds the app when the build is missing or older than the
// source, applies pending migrations (the embedded SQLite database under data/
// is created on first start), then serves on PORT (default 3000).
import { spawnSync, spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const SOURCES = ["app", "components", "lib", "prisma", "instrumentation.ts", "next.config.js", "package.json"];

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
run(process.execPath, ["--experimental-wasm-modules", "--no-warnings", "--import", "tsx", "scripts/migrate.ts"]);

const server = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", ...process.argv.slice(2)], {
  stdio: "inherit",
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
