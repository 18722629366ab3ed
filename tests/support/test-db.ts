import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { createDb, type Db } from "@/lib/db/client";
import type { Dialect } from "@/lib/db/dialect";
import { createPgDatabase, dropPgDatabase } from "@/lib/db/pg-database";
import { NODE_TS } from "./node-ts";

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "../..");
export const PG_ADMIN_URL = process.env.TEST_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export { NODE_TS };

/** The dialects the suite runs on; TEST_DIALECTS=sqlite skips PostgreSQL. */
export const DIALECTS: Dialect[] = (process.env.TEST_DIALECTS ?? "sqlite,postgresql").split(",") as Dialect[];

/** Runs the real migration command (the one `npm start` runs) on a URL. */
export async function migrateUrl(url: string): Promise<void> {
  await run(process.execPath, [...NODE_TS, "scripts/migrate.ts"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url },
  });
}

export type TestDb = { url: string; db: Db; drop(): Promise<void> };

/** A new, migrated, empty database of the dialect. */
export async function createTestDb(dialect: Dialect): Promise<TestDb> {
  if (dialect === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "ti-test-"));
    return migrated(`file:${join(dir, "test.db")}`, async () => rmSync(dir, { recursive: true, force: true }));
  }
  const name = `ti_test_${Date.now()}_${Math.random().toString(36).slice(2, 8)}`;
  return migrated(await createPgDatabase(PG_ADMIN_URL, name), () => dropPgDatabase(PG_ADMIN_URL, name));
}

async function migrated(url: string, remove: () => Promise<void>): Promise<TestDb> {
  await migrateUrl(url);
  const db = createDb(url);
  return {
    url,
    db,
    async drop() {
      await db.prisma.$disconnect();
      await remove();
    },
  };
}

export async function waitFor<T>(fn: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error("waitFor: timed out");
    await new Promise((r) => setTimeout(r, 25));
  }
}
