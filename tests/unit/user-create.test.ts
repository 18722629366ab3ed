// `npm run user:create`: the password never is an argument. It comes from
// stdin when piped, or from a hidden prompt on a terminal.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";
import { verifyPassword } from "better-auth/crypto";
import { afterAll, describe, expect, test } from "vitest";
import { NODE_TS } from "../support/node-ts";

const ROOT = resolve(import.meta.dirname, "../..");
const dir = mkdtempSync(join(tmpdir(), "ti-user-create-"));
const dbFile = join(dir, "app.db");
const env = { ...process.env, DATABASE_URL: `file:${dbFile}` };

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function userCreate(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [...NODE_TS, "scripts/user-create.ts", ...args], { cwd: ROOT, env, input, encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The stored scrypt hash checks against `password`. */
async function passwordIs(email: string, password: string): Promise<boolean> {
  const db = new Database(dbFile, { readonly: true });
  try {
    const row = db
      .prepare("SELECT a.password FROM staff_account a JOIN staff_user u ON u.id = a.user_id WHERE u.email = ?")
      .get(email) as { password: string } | undefined;
    return !!row && (await verifyPassword({ hash: row.password, password }));
  } finally {
    db.close();
  }
}

describe("user:create", () => {
  test("reads the password from stdin when piped (printf '%s' \"$PW\" | …), stdout says only what was made", async () => {
    const r = userCreate(["--email", "Piped@Example.org", "--role", "admin"], "a piped passphrase");
    expect(r.stderr).not.toContain("passphrase");
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("created admin piped@example.org\n");
    expect(await passwordIs("piped@example.org", "a piped passphrase")).toBe(true);
  }, 60_000);

  test("through npm, as the README says (package.json's script and its node flags), stdout says only what was made", async () => {
    const r = spawnSync("npm", ["run", "--silent", "user:create", "--", "--email", "npm@example.org", "--role", "staff"], {
      cwd: ROOT,
      env,
      input: "a passphrase through npm",
      encoding: "utf8",
    });
    expect(r.stderr).not.toContain("passphrase");
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("created staff npm@example.org\n");
    expect(await passwordIs("npm@example.org", "a passphrase through npm")).toBe(true);
  }, 60_000);

  test("one trailing newline (echo) is not part of the password", async () => {
    expect(userCreate(["--email", "echo@example.org", "--role", "staff"], "an echoed passphrase\n").status).toBe(0);
    expect(await passwordIs("echo@example.org", "an echoed passphrase")).toBe(true);
  }, 60_000);

  test("--password is refused, with the way to do it instead, and nothing is made", async () => {
    const r = userCreate(["--email", "argv@example.org", "--password", "a visible passphrase", "--role", "admin"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--password is no longer accepted");
    expect(r.stderr).toContain("printf '%s' \"$PW\" | npm run --silent user:create");
    expect(await passwordIs("argv@example.org", "a visible passphrase")).toBe(false);
  }, 60_000);

  test("a short password is refused before anything is made", async () => {
    const r = userCreate(["--email", "short@example.org", "--role", "admin"], "short");
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("password: must be at least 8 characters");
  }, 60_000);

  // A terminal: `script` (util-linux) runs the command on a pseudo-terminal.
  const hasScript = spawnSync("script", ["--version"]).status === 0;
  test.skipIf(!hasScript)("on a terminal it asks twice without echoing what is typed", async () => {
    const cmd = [process.execPath, ...NODE_TS, "scripts/user-create.ts", "--email", "tty@example.org", "--role", "staff"].join(" ");
    const typed = "typed passphrase\r";
    // each answer is typed once its prompt is shown (a fixed wait raced a slow start under load)
    const child = spawn("script", ["-qec", cmd, "/dev/null"], { cwd: ROOT, env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    const prompts = ["Password (at least 8 characters):", "The same password again:"];
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (text: string) => {
      stdout += text;
      if (prompts.length > 0 && stdout.includes(prompts[0])) {
        prompts.shift();
        child.stdin.write(typed);
      }
    });
    const code = await new Promise<number | null>((done) => child.on("close", done));
    expect(code).toBe(0);
    expect(stdout).toContain("Password (at least 8 characters):");
    expect(stdout).toContain("The same password again:");
    expect(stdout).toContain("created staff tty@example.org");
    expect(stdout).not.toContain("typed passphrase");
    expect(await passwordIs("tty@example.org", "typed passphrase")).toBe(true);
  }, 90_000);
});
