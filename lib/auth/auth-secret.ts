// The secret that signs staff session cookies: BETTER_AUTH_SECRET, or else
// one generated on first use and kept in data/auth-secret (mode 0600, in a
// 0700 directory: lib/private-files.ts), so
// `npm install && npm start` needs no set-up. Several app instances on one
// PostgreSQL database must share a secret: set BETTER_AUTH_SECRET for them.
import "server-only";
import { randomBytes } from "node:crypto";
import { linkSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { env } from "../env";
import { DATA_DIR, privateDir, privateFile } from "../private-files";

export const AUTH_SECRET_FILE = `${DATA_DIR}/auth-secret`;

let cached: string | undefined;

export function authSecret(): string {
  if (cached) return cached;
  cached = env().BETTER_AUTH_SECRET ?? fileSecret(resolve(AUTH_SECRET_FILE));
  return cached;
}

function fileSecret(path: string): string {
  privateDir(dirname(path));
  privateFile(path);
  const existing = readSecret(path);
  if (existing !== null) return existing;
  // Written whole to a temporary file, then linked into place: a process
  // starting at the same moment (app, worker, user:create) either wins the
  // link or reads the winner's complete file, never a half-written one.
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}`;
  writeFileSync(tmp, randomBytes(32).toString("base64url") + "\n", { mode: 0o600 });
  try {
    linkSync(tmp, path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  } finally {
    unlinkSync(tmp);
  }
  const secret = readSecret(path);
  if (secret === null) throw new Error(`could not create ${path}`);
  return secret;
}

function readSecret(path: string): string | null {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw e;
  }
  const secret = text.trim();
  if (secret.length < 32) {
    throw new Error(`${path} must hold a secret of at least 32 characters (delete it to have a new one made)`);
  }
  return secret;
}
