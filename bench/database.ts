// A fresh database per run: a SQLite file in a new temporary directory, or a
// new PostgreSQL database (dropped WITH (FORCE) afterwards).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPgDatabase, dropPgDatabase } from "../lib/db/pg-database";
import { config, type Dialect } from "./config";

export type FreshDb = { dialect: Dialect; url: string; /** SQLite file path */ file?: string; drop(): Promise<void> };

export async function freshDatabase(dialect: Dialect): Promise<FreshDb> {
  if (dialect === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "bench-app-"));
    const file = join(dir, "app.db");
    return { dialect, url: `file:${file}`, file, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `bench_${Date.now()}_${Math.random().toString(36).slice(2, 8)}`;
  const url = await createPgDatabase(config.pgAdminUrl, name);
  return { dialect, url, drop: () => dropPgDatabase(config.pgAdminUrl, name) };
}
