// The last active admin cannot be demoted, disabled or deleted: someone must
// always be able to manage accounts. Two admins demoting each other at once
// must not both succeed, so every change that can take an admin away runs
// one at a time (adminsHeld), and checks inside that turn, against what the
// previous turn committed, that another active admin remains.
import "server-only";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import type { Prisma } from "../generated/sqlite/client";

/** An admin who can sign in and act: not disabled, with a password of their own set. */
export const ACTIVE_ADMIN: Prisma.StaffUserWhereInput = {
  role: "admin",
  OR: [{ banned: false }, { banned: null }],
  accounts: { some: { providerId: "credential", password: { not: null } } },
};

/** Refuses (forbidden, saying why) when `id` is the only active admin. */
export async function assertAnotherActiveAdmin(d: Db, id: string, doing: "demote" | "disable" | "delete"): Promise<void> {
  const others = await d.prisma.staffUser.count({ where: { ...ACTIVE_ADMIN, id: { not: id } } });
  if (others === 0) {
    throw new AppError("forbidden", `You cannot ${doing} the last active admin: make another account an admin first`);
  }
}

// Any number of PostgreSQL instances: a transaction-scoped advisory lock,
// held while better-auth writes on other connections (a row lock would make
// it wait on us). SQLite serves one web app process: a queue in the process
// (a write transaction held open would block better-auth's own writes).
const LOCK_KEY = 190_019;
const queues = new Map<string, Promise<unknown>>();

function inProcessTurn<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const before = queues.get(key) ?? Promise.resolve();
  const mine = before.catch(() => undefined).then(fn);
  const tail = mine.catch(() => undefined);
  queues.set(key, tail);
  void tail.then(() => {
    if (queues.get(key) === tail) queues.delete(key);
  });
  return mine;
}

/** Runs `fn` while no other change to admins runs (in any instance). */
export function adminsHeld<T>(d: Db, fn: () => Promise<T>): Promise<T> {
  return inProcessTurn(d.url, async () => {
    if (d.dialect === "sqlite") return fn();
    return d.prisma.$transaction(
      async (tx) => {
        await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${LOCK_KEY})`);
        return fn();
      },
      { maxWait: 30_000, timeout: 60_000 },
    );
  });
}
