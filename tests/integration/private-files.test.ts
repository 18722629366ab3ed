// The SQLite database and the session secret are the owner's only: data/
// 0700, the database and its -wal/-shm 0600, data/auth-secret 0600; made so
// when created, whatever the umask, and made so again at start when an older
// install left them readable by every local user.
import { execFile } from "node:child_process";
import Database from "better-sqlite3";
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterEach, describe, expect, test } from "vitest";
import { createDb } from "@/lib/db/client";
import { NODE_TS } from "../support/test-db";

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "../..");
const NODE_TS_ANYWHERE = NODE_TS.map((a) => (a === "tsx" ? pathToFileURL(join(ROOT, "node_modules/tsx/dist/loader.mjs")).href : a));

/** Our TypeScript, run as npm's scripts run it, with `cwd` as the app's directory (where its data/ goes). */
function runIn(cwd: string, args: string[], vars: Record<string, string | undefined> = {}) {
  const env = { ...process.env, ...vars };
  for (const [k, v] of Object.entries(vars)) if (v === undefined) delete env[k];
  return run(process.execPath, [...NODE_TS_ANYWHERE, ...args], { cwd, env });
}

/** The real migration command: what npm start runs first. Without a URL, the default database, data/app.db. */
const migrateIn = (cwd: string, url?: string) => runIn(cwd, [join(ROOT, "scripts/migrate.ts")], { DATABASE_URL: url });

/** What the app does when it first signs a session cookie without BETTER_AUTH_SECRET. */
const readSecretIn = (cwd: string) =>
  runIn(cwd, ["--input-type=module", "-e", `const { authSecret } = await import(${JSON.stringify(pathToFileURL(join(ROOT, "lib/auth/auth-secret.ts")).href)}); authSecret();`], {
    BETTER_AUTH_SECRET: undefined,
  });

const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8);

describe("the service's files are private", () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), "ti-private-"));
    chmodSync(dir, 0o755); // as any directory an operator makes
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  test("a new install: data/ is 0700, the database and its -wal and -shm 0600, with the umask at 0022", async () => {
    const root = tempDir();
    const old = process.umask(0o022);
    try {
      await migrateIn(root);
      const db = createDb(`file:${join(root, "data/app.db")}`);
      try {
        await db.sql.run("INSERT INTO api_user (id, name) VALUES ('u1', 'writes the WAL')");
        expect(existsSync(join(root, "data/app.db-wal")) && existsSync(join(root, "data/app.db-shm"))).toBe(true);
        const modes = Object.fromEntries(["data", "data/app.db", "data/app.db-wal", "data/app.db-shm"].map((p) => [p, modeOf(join(root, p))]));
        expect(modes).toEqual({ data: "700", "data/app.db": "600", "data/app.db-wal": "600", "data/app.db-shm": "600" });
      } finally {
        await db.close();
      }
    } finally {
      process.umask(old);
    }
  });

  test("a database elsewhere: its new directories are 0700, its file 0600; an existing directory is left as the operator made it", async () => {
    const root = tempDir();
    await migrateIn(root, `file:${join(root, "db/nested/members.db")}`);
    expect([modeOf(root), modeOf(join(root, "db")), modeOf(join(root, "db/nested")), modeOf(join(root, "db/nested/members.db"))]).toEqual([
      "755",
      "700",
      "700",
      "600",
    ]);
  });

  test("an older install left readable: start makes data/ 0700 and the database and its side files 0600", async () => {
    const root = tempDir();
    await migrateIn(root);
    // another connection keeps the -wal and -shm files there
    const other = new Database(join(root, "data/app.db"));
    try {
      other.prepare("INSERT INTO api_user (id, name) VALUES ('u1', 'writes the WAL')").run();
      const files = ["data/app.db", "data/app.db-wal", "data/app.db-shm"];
      chmodSync(join(root, "data"), 0o755);
      for (const f of files) chmodSync(join(root, f), 0o644);
      await migrateIn(root);
      expect([modeOf(join(root, "data")), ...files.map((f) => modeOf(join(root, f)))]).toEqual(["700", "600", "600", "600"]);
    } finally {
      other.close();
    }
  });

  test("the session secret: made 0600 in a 0700 data/, and one left readable made 0600 again when read", async () => {
    const root = tempDir();
    await readSecretIn(root);
    expect([modeOf(join(root, "data")), modeOf(join(root, "data/auth-secret"))]).toEqual(["700", "600"]);
    chmodSync(join(root, "data"), 0o755);
    chmodSync(join(root, "data/auth-secret"), 0o644);
    await readSecretIn(root);
    expect([modeOf(join(root, "data")), modeOf(join(root, "data/auth-secret"))]).toEqual(["700", "600"]);
  });
});
