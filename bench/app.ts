// The app as a user starts it: `node scripts/start.mjs -p <port> -H 127.0.0.1`
// in BENCH_APP_DIR with DATABASE_URL on a fresh database and a first admin
// from ADMIN_EMAIL/ADMIN_PASSWORD; an API token from `npm run --silent
// token:create`; a staff session from better-auth's sign-in endpoint.
// Also: the RSS of the app's whole process tree.
import { spawn, execFile, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { config, type Dialect } from "./config";
import { freshDatabase, type FreshDb } from "./database";
import { keepAliveAgent, request, sleep, type ReqOptions, type Res } from "./http";
import { freePort } from "../tests/support/free-port";

const execFileP = promisify(execFile);

export type App = {
  baseUrl: string;
  /** pid of `node scripts/start.mjs` (the root of the app's process tree) */
  pid: number;
  db: FreshDb;
  token: string;
  /** Cookie header of the signed-in staff user */
  cookie: string;
  /** An authenticated API request (bearer token) on the app's own keep-alive connection. */
  api(path: string, opts?: ReqOptions & { json?: unknown }): Promise<Res>;
  /** A staff page request with the session cookie. */
  page(path: string, opts?: ReqOptions): Promise<Res>;
  /** Total VmRSS (KiB) of the app's process tree, and the pids counted. */
  treeRss(): { kb: number; pids: number[] };
  /** Stops the app's process tree, then drops its database unless kept (then call db.drop() later). */
  stop(opts?: { keepDatabase?: boolean }): Promise<void>;
};

/** Starts the app on a fresh database of the dialect; `label` names its log in bench/out. */
export async function startApp(dialect: Dialect, label: string, extraEnv: Record<string, string> = {}): Promise<App> {
  const db = await freshDatabase(dialect);
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    DATABASE_URL: db.url,
    ADMIN_EMAIL: config.adminEmail,
    ADMIN_PASSWORD: config.adminPassword,
    // keeps the app from writing data/auth-secret into the app directory
    BETTER_AUTH_SECRET: randomBytes(32).toString("base64"),
    ...extraEnv,
  };
  mkdirSync(config.outDir, { recursive: true });
  const logPath = join(config.outDir, `${label}-${dialect}.app.log`);
  const log = createWriteStream(logPath);
  const child: ChildProcess = spawn(process.execPath, ["scripts/start.mjs", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: config.appDir,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.pipe(log, { end: false });
  child.stderr!.pipe(log, { end: false });
  const pid = child.pid!;
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const started = performance.now();
  child.once("exit", (code, signal) => {
    if (!stopped)
      console.error(
        `bench: the app (scripts/start.mjs pid ${pid}) exited on its own after ${Math.round((performance.now() - started) / 1000)} s ` +
          `with ${signal ? `signal ${signal}` : `code ${code}`}; its output is in ${logPath}`,
      );
  });

  let stopped = false;
  async function stop(opts: { keepDatabase?: boolean } = {}) {
    if (stopped) return;
    stopped = true;
    const tree = processTree(pid);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const gone = await Promise.race([exited.then(() => true), sleep(15_000).then(() => false)]);
      if (!gone) console.error(`bench: app ${pid} did not stop on SIGTERM; killing its process tree`);
    }
    for (const p of tree) {
      try {
        process.kill(p, "SIGKILL");
      } catch {
        /* already gone */
      }
    }
    agent.destroy();
    log.end();
    if (!opts.keepDatabase) await db.drop();
  }

  const agent = keepAliveAgent(4);
  try {
    const deadline = Date.now() + 600_000; // start.mjs builds first when the build is stale
    for (;;) {
      if (child.exitCode !== null) throw new Error(`app exited early (code ${child.exitCode}); see ${logPath}`);
      try {
        const r = await request(`${baseUrl}/api/health`, { timeoutMs: 5_000 });
        if (r.status === 200) break;
      } catch {
        /* not up yet */
      }
      if (Date.now() > deadline) throw new Error(`app did not start in 10 minutes; see ${logPath}`);
      await sleep(200);
    }
    const token = await createToken(db.url);
    const cookie = await signIn(baseUrl);
    const app: App = {
      baseUrl,
      pid,
      db,
      token,
      cookie,
      api(path, opts = {}) {
        const headers: Record<string, string> = { authorization: `Bearer ${token}`, ...opts.headers };
        let body = opts.body;
        if (opts.json !== undefined) {
          body = JSON.stringify(opts.json);
          headers["content-type"] ??= "application/json";
        }
        return request(baseUrl + path, { agent, ...opts, headers, body });
      },
      page(path, opts = {}) {
        return request(baseUrl + path, { agent, ...opts, headers: { cookie, ...opts.headers } });
      },
      treeRss() {
        const pids = processTree(pid);
        return { kb: pids.reduce((a, p) => a + rssKb(p), 0), pids };
      },
      stop,
    };
    return app;
  } catch (e) {
    await stop();
    throw e;
  }
}

/** `npm run --silent token:create -- --name bench`, run as a user would (cwd = app dir, same DATABASE_URL). */
async function createToken(databaseUrl: string): Promise<string> {
  const { stdout } = await execFileP("npm", ["run", "--silent", "token:create", "--", "--name", "bench"], {
    cwd: config.appDir,
    env: { ...process.env, DATABASE_URL: databaseUrl },
  });
  const token = stdout.trim();
  if (!token || /\s/.test(token)) throw new Error(`token:create printed something else than a token: ${JSON.stringify(stdout)}`);
  return token;
}

/** Signs the first admin in through better-auth and returns the Cookie header to send. */
async function signIn(baseUrl: string): Promise<string> {
  const r = await request(`${baseUrl}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: baseUrl },
    body: JSON.stringify({ email: config.adminEmail, password: config.adminPassword }),
    timeoutMs: 30_000,
  });
  const setCookie = r.headers["set-cookie"] ?? [];
  if (r.status !== 200 || setCookie.length === 0) throw new Error(`staff sign-in failed: ${r.status} ${r.body.slice(0, 300)}`);
  const cookie = setCookie.map((c) => c.split(";")[0]).join("; ");
  const page = await request(`${baseUrl}/imports`, { headers: { cookie }, timeoutMs: 30_000 });
  if (page.status !== 200) throw new Error(`GET /imports with the session cookie answered ${page.status}, not 200`);
  return cookie;
}

/** root and every descendant, from the ppid field of /proc/<pid>/stat. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(d));
      children.set(ppid, list);
    } catch {
      /* exited meanwhile */
    }
  }
  const out: number[] = [];
  const todo = [root];
  while (todo.length) {
    const p = todo.pop()!;
    out.push(p);
    todo.push(...(children.get(p) ?? []));
  }
  return out;
}

/** VmRSS of one process in KiB (0 when it has exited). */
export function rssKb(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Submits a JSON bulk upsert and returns its id (throws unless 200). */
export async function submit(app: App, body: string): Promise<{ id: string; ms: number }> {
  const r = await app.api("/api/targets/bulk_upsert", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
    timeoutMs: config.requestTimeoutMs,
  });
  if (r.status !== 200) throw new Error(`bulk_upsert answered ${r.status}: ${r.body.slice(0, 500)}`);
  return { id: JSON.parse(r.body).deferred_result_id, ms: r.ms };
}

export type Deferred = {
  status: "running" | "ready" | "failed";
  result?: { total: number; created: number; updated: number; unchanged: number; rejected: number; errors: unknown[] };
  error?: unknown;
  progress?: unknown;
};

export async function deferred(app: App, id: string): Promise<Deferred> {
  const r = await app.api(`/api/deferred_results/${id}`, { timeoutMs: config.requestTimeoutMs });
  if (r.status !== 200) throw new Error(`GET /api/deferred_results/${id} answered ${r.status}: ${r.body.slice(0, 300)}`);
  return JSON.parse(r.body);
}

/** Polls until the job is no longer running; returns it and when it was first seen done. */
export async function waitDone(app: App, id: string, pollMs = config.pollMs): Promise<{ result: Deferred; at: number }> {
  const end = Date.now() + config.waitLimitMs;
  for (;;) {
    const r = await deferred(app, id);
    if (r.status !== "running") return { result: r, at: performance.now() };
    if (Date.now() > end) throw new Error(`job ${id} still running after ${config.waitLimitMs / 1000} s`);
    await sleep(pollMs);
  }
}
