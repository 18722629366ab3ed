// The service's own files hold members' data (the SQLite database, its WAL)
// and the secret that signs staff sessions: no other local user may read
// them, whatever the umask, nor go on reading them after an upgrade from
// when they were made readable (0755, 0644).
import "server-only";
import { chmodSync, closeSync, openSync, mkdirSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";

/** Where the service keeps its own files: the default database and the generated session secret. */
export const DATA_DIR = "data";

/** Drops the group's and others' permissions from a path; false when it does not exist. */
function ownerOnly(path: string): boolean {
  let mode: number;
  try {
    mode = statSync(path).mode & 0o777;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw e;
  }
  if (mode & 0o077) chmodSync(path, mode & 0o700);
  return true;
}

/**
 * A directory for our files, made 0700 if it is new. An existing one is
 * made private only if it is the data directory: another that an operator
 * chose for the database may be shared (the files in it are private).
 */
export function privateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (resolve(dir) === resolve(DATA_DIR)) ownerOnly(dir);
}

/** A file holding a secret: private, if it exists. */
export const privateFile = (path: string): void => void ownerOnly(path);

/**
 * A SQLite database file and its side files made private. A missing one is
 * created empty (0600) first: SQLite gives the -wal, -shm and -journal files
 * it creates later the database file's mode.
 */
export function privateSqliteFile(path: string): void {
  if (path === ":memory:") return;
  privateDir(dirname(resolve(path)));
  closeSync(openSync(path, "a", 0o600));
  for (const file of [path, `${path}-wal`, `${path}-shm`, `${path}-journal`]) ownerOnly(file);
}
