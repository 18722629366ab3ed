// Creates a staff account for the admin web app (the first admin, or more):
//   npm run --silent user:create -- --email a@b.org --role admin|staff [--name "A B"]
// The password is never an argument (arguments show in the process list and
// the shell's history): it is asked for, hidden, when stdin is a terminal,
// or read from stdin when piped (one trailing newline is dropped):
//   printf '%s' "$PW" | npm run --silent user:create -- --email a@b.org --role admin
// Prints the new account's email and role on stdout.
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";
import { z } from "zod";
import { createStaffUser, staffUserInputSchema } from "../lib/auth/better-auth";
import { db } from "../lib/db/client";

const USAGE =
  "usage: npm run --silent user:create -- --email <email> --role admin|staff [--name <name>]\n" +
  "  the password is asked for (hidden), or read from stdin: printf '%s' \"$PW\" | npm run --silent user:create -- …";

let values;
try {
  ({ values } = parseArgs({
    options: {
      email: { type: "string" },
      // refused with a pointer to the way that keeps it out of sight
      password: { type: "string" },
      role: { type: "string", default: "staff" },
      name: { type: "string" },
    },
  }));
} catch (e) {
  console.error(`${e instanceof Error ? e.message : String(e)}\n${USAGE}`);
  process.exit(2);
}
if (values.password !== undefined) {
  console.error(
    "--password is no longer accepted: it would stay in the process list and your shell's history.\n" +
      "Leave it out to be asked for it, or pipe it in on stdin.\n" +
      USAGE,
  );
  process.exit(2);
}
const rest = { email: values.email, role: values.role, name: values.name };
// Everything but the password is checked before asking for it.
const withoutPassword = staffUserInputSchema.omit({ password: true }).safeParse(rest);
if (!withoutPassword.success) {
  for (const issue of withoutPassword.error.issues) console.error(`--${issue.path.join(".")}: ${issue.message}`);
  console.error(USAGE);
  process.exit(2);
}

const password = process.stdin.isTTY ? await askTwice() : await readPiped();
const input = staffUserInputSchema.safeParse({ ...rest, password });
if (!input.success) {
  for (const issue of input.error.issues) console.error(`${issue.path[0] === "password" ? "password" : `--${issue.path.join(".")}`}: ${issue.message}`);
  process.exit(2);
}

let code = 0;
try {
  migrateFirst(); // a fresh clone may not have started the app yet
  const user = await createStaffUser(input.data);
  process.stdout.write(`created ${user.role} ${user.email}\n`);
} catch (e) {
  const message = e instanceof z.ZodError ? z.prettifyError(e) : e instanceof Error ? e.message : String(e);
  console.error(`could not create the account: ${message}`);
  code = 1;
}
await db().prisma.$disconnect();
// stdin and the database handles may keep the event loop alive.
process.exit(code);

/**
 * The real migration command, in a process of its own: the WASM schema
 * engine keeps its SQLite connection until it is garbage-collected, and in
 * this process that could keep the account's insert waiting on a lock.
 */
function migrateFirst(): void {
  const r = spawnSync(process.execPath, [...process.execArgv, "scripts/migrate.ts"], {
    cwd: new URL("..", import.meta.url),
    stdio: ["ignore", "ignore", "inherit"],
  });
  if (r.status !== 0) throw new Error(`the database migration failed (exit ${r.status ?? r.signal})`);
}

/** All of stdin, less one trailing newline (`echo` adds one; `printf '%s'` does not). */
async function readPiped(): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of process.stdin) parts.push(part as Buffer);
  return Buffer.concat(parts).toString("utf8").replace(/\r?\n$/, "");
}

async function askTwice(): Promise<string> {
  const first = await askHidden("Password (at least 8 characters): ");
  const again = await askHidden("The same password again: ");
  if (first !== again) {
    console.error("The two passwords differ; nothing was created.");
    process.exit(2);
  }
  return first;
}

/** Reads one line from the terminal without echoing it (the prompt goes to stderr, stdout stays clean). */
function askHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  // echo off before the prompt shows, so nothing typed at the prompt is echoed
  stdin.setRawMode(true);
  process.stderr.write(prompt);
  stdin.resume();
  stdin.setEncoding("utf8");
  return new Promise((resolve) => {
    let text = "";
    const done = (exitCode?: number) => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write("\n");
      if (exitCode !== undefined) process.exit(exitCode);
      resolve(text);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === "\r" || ch === "\n" || ch === "\u0004") return done();
        if (ch === "\u0003") return done(130); // Ctrl-C
        if (ch === "\u007f" || ch === "\b") text = [...text].slice(0, -1).join("");
        else if (ch >= " ") text += ch;
      }
    };
    stdin.on("data", onData);
  });
}
