// Writes a new migration for each database from the change to
// prisma/schema.prisma: `npm run migration:create -- <name>`. The schema
// engine builds the shadow database through the driver adapter (see
// docs/decisions/002-prisma-offline.md).
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FILTERS, migrationsDir, migrationsList, schemaPath, withSchemaEngine } from "../lib/db/migrate";
import type { Dialect } from "../lib/db/dialect";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run migration:create -- <snake_case_name>");
  process.exit(2);
}
const urls: Record<Dialect, string> = {
  sqlite: `file:${join(mkdtempSync(join(tmpdir(), "migration-")), "diff.db")}`,
  postgresql: process.env.PG_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres",
};
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
for (const dialect of ["sqlite", "postgresql"] as const) {
  const path = schemaPath(dialect);
  const result = await withSchemaEngine(urls[dialect], (engine) =>
    engine.diff({
      from: { tag: "migrations", ...migrationsList(dialect) },
      to: { tag: "schemaDatamodel", files: [{ path, content: readFileSync(path, "utf8") }] },
      script: true,
      exitCode: null,
      filters: FILTERS,
    } as never),
  );
  const sql = (result as unknown as { stdout: string }).stdout;
  if (!sql || /^-- This is an empty migration/.test(sql.trim())) {
    console.log(`${dialect}: no change`);
    continue;
  }
  const dir = join(migrationsDir(dialect), `${stamp}_${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "migration.sql"), sql);
  console.log(`${dialect}: wrote ${dir}/migration.sql`);
}
