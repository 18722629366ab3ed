import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";
import { createApiUserWithToken } from "@/lib/auth/api-tokens";
import type { Dialect } from "@/lib/db/dialect";
import { createTestDb, NODE_TS, type TestDb } from "./test-db";
import { freePort } from "./free-port";

const ROOT = resolve(import.meta.dirname, "../..");

export type AppServer = {
  baseUrl: string;
  t: TestDb;
  token: string;
  apiUserId: string;
  /** Sends a request with the test token unless `auth: false`. */
  api(path: string, init?: RequestInit & { auth?: boolean; json?: unknown }): Promise<Response>;
  stop(): Promise<void>;
  output(): string;
};

/**
 * Starts the built app with `npm start`'s own script (build check, migrate,
 * next start) on a fresh database of the dialect. `npm test` builds first.
 */
export async function startAppServer(dialect: Dialect, extraEnv: Record<string, string> = {}): Promise<AppServer> {
  const t = await createTestDb(dialect);
  const port = await freePort();
  let out = "";
  const child: ChildProcess = spawn(process.execPath, ["scripts/start.mjs", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: t.url, WORKER_POLL_MS: "50", NODE_ENV: "production", ...extraEnv },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (b) => (out += b));
  child.stderr!.on("data", (b) => (out += b));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`app exited early:\n${out}`);
    try {
      const r = await fetch(`${baseUrl}/api/health`);
      if (r.ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`app did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const { token, apiUserId } = await createApiUserWithToken(t.db, "test client");
  return {
    baseUrl,
    t,
    token,
    apiUserId,
    api(path, init = {}) {
      const headers = new Headers(init.headers);
      if (init.auth !== false && !headers.has("authorization")) headers.set("authorization", `Bearer ${token}`);
      let body = init.body;
      if (init.json !== undefined) {
        body = JSON.stringify(init.json);
        if (!headers.has("content-type")) headers.set("content-type", "application/json");
      }
      return fetch(baseUrl + path, { ...init, headers, body });
    },
    async stop() {
      child.kill("SIGTERM");
      await new Promise<void>((r) => {
        if (child.exitCode !== null) return r();
        const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
        child.on("exit", () => (clearTimeout(timer), r()));
      });
      await t.drop();
    },
    output: () => out,
  };
}

/** Polls a deferred result until it is no longer running. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON off the wire: the tests assert its shape
export async function waitForResult(app: AppServer, id: string, timeoutMs = 30_000): Promise<Record<string, any>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const r = await app.api(`/api/deferred_results/${id}`);
    const body = await r.json();
    if (body.status !== "running") return body;
    if (Date.now() > end) throw new Error(`job ${id} still running`);
    await new Promise((res) => setTimeout(res, 30));
  }
}

/** Every problem entry of a deferred result, following its errors_next pages. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON off the wire: the tests assert its shape
export async function allErrors(app: AppServer, first: Record<string, any>): Promise<Record<string, any>[]> {
  const entries = [...first.result.errors];
  for (let next = first.result.errors_next; next; ) {
    const page = await (await app.api(next)).json();
    entries.push(...page.errors);
    next = page.errors_next;
  }
  return entries;
}

/**
 * Makes a staff account with the real `user:create` script and signs it in
 * through better-auth; returns the session cookie for requests as that user.
 */
export async function signedInStaff(app: AppServer, email = "sam@example.org", role: "staff" | "admin" = "staff"): Promise<string> {
  const password = "a staff member's password";
  const made = spawnSync(process.execPath, [...NODE_TS, "scripts/user-create.ts", "--email", email, "--role", role], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: app.t.url },
    input: password,
    encoding: "utf8",
  });
  if (made.status !== 0) throw new Error(`user:create failed: ${made.stderr}`);
  const signIn = await fetch(`${app.baseUrl}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: app.baseUrl },
    body: JSON.stringify({ email, password }),
  });
  if (signIn.status !== 200) throw new Error(`sign-in failed: ${signIn.status}`);
  return signIn.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
}
