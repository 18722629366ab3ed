// Applies prisma/migrations/<dialect>/* with Prisma's own schema engine built
// to WASM, talking to the database through the driver adapter: no download of
// a native engine. Needs `node --experimental-wasm-modules` on Node 20, so
// it runs from scripts/, never inside the Next.js server.
import "server-only";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import pg from "pg";
import { privateSqliteFile } from "../private-files";
import { dialectOf, sqlitePath, type Dialect } from "./dialect";
import { createPgDatabase, dropPgDatabase } from "./pg-database";

const ROOT = resolve(import.meta.dirname, "../..");

export function schemaPath(dialect: Dialect): string {
  return join(ROOT, dialect === "sqlite" ? "prisma/schema.prisma" : "prisma/postgresql/schema.prisma");
}

export function migrationsDir(dialect: Dialect): string {
  return join(ROOT, "prisma/migrations", dialect);
}

// adapter-pg cannot describe PostgreSQL's internal "char" type (OID 18), which
// the engine meets when it inspects a database: report it as text.
let pgCharPatched = false;
async function patchPgCharType(): Promise<void> {
  if (pgCharPatched) return;
  pgCharPatched = true;
  // @ts-expect-error internal module without types
  const { default: Result } = await import("pg/lib/result.js");
  const addFields = Result.prototype.addFields;
  Result.prototype.addFields = function (fields: { dataTypeID: number }[]) {
    for (const f of fields) if (f.dataTypeID === 18) f.dataTypeID = 25;
    return addFields.call(this, fields);
  };
}

function pgFactory(url: string): SqlMigrationAwareDriverAdapterFactory {
  const base = new PrismaPg({ connectionString: url });
  return {
    provider: base.provider,
    adapterName: base.adapterName,
    connect: () => base.connect(),
    // adapter-pg drops its shadow database before closing the pool that
    // uses it; close first, then drop with FORCE.
    async connectToShadowDb() {
      const name = `shadow_${crypto.randomUUID().replace(/-/g, "")}`;
      const adapter = await new PrismaPg({ connectionString: await createPgDatabase(url, name) }).connect();
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        await dispose();
        await dropPgDatabase(url, name);
      };
      return adapter;
    },
  };
}

// The engine replays a whole migration file through executeRaw when it builds
// a shadow database; better-sqlite3 prepares one statement at a time, so such
// a script goes through executeScript instead.
function acceptScripts(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const executeRaw = adapter.executeRaw.bind(adapter);
  adapter.executeRaw = async (query) => {
    try {
      return await executeRaw(query);
    } catch (e) {
      if (query.args.length === 0 && /more than one statement/.test(String(e))) {
        await adapter.executeScript(query.sql);
        return 0;
      }
      throw e;
    }
  };
  return adapter;
}

type Factory = SqlMigrationAwareDriverAdapterFactory & { closeAll?: () => Promise<unknown> };

function adapterFactory(url: string): Factory {
  if (dialectOf(url) === "sqlite") {
    const path = sqlitePath(url);
    privateSqliteFile(path);
    const base = new PrismaBetterSqlite3({ url: path });
    const opened: SqlDriverAdapter[] = [];
    const keep = (adapter: SqlDriverAdapter) => {
      opened.push(adapter);
      return acceptScripts(adapter);
    };
    return {
      provider: base.provider,
      adapterName: base.adapterName,
      connect: async () => keep(await base.connect()),
      connectToShadowDb: async () => keep(await base.connectToShadowDb()),
      closeAll: () => Promise.all(opened.splice(0).map((a) => a.dispose())),
    };
  }
  return pgFactory(url);
}

export function migrationsList(dialect: Dialect) {
  const baseDir = migrationsDir(dialect);
  const dirs = existsSync(baseDir)
    ? readdirSync(baseDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()
    : [];
  return {
    baseDir,
    lockfile: { path: "migration_lock.toml", content: `provider = "${dialect}"` },
    shadowDbInitScript: "",
    migrationDirectories: dirs.map((d) => ({
      path: d,
      migrationFile: {
        path: "migration.sql",
        content: { tag: "ok" as const, value: readFileSync(join(baseDir, d, "migration.sql"), "utf8") },
      },
    })),
  };
}

export const FILTERS = { externalTables: [], externalEnums: [] };

export async function withSchemaEngine<T>(
  url: string,
  fn: (engine: import("@prisma/schema-engine-wasm").SchemaEngine) => Promise<T>,
): Promise<T> {
  const dialect = dialectOf(url);
  if (dialect === "postgresql") await patchPgCharType();
  const { SchemaEngine } = await import("@prisma/schema-engine-wasm");
  const path = schemaPath(dialect);
  const factory = adapterFactory(url);
  const engine = await SchemaEngine.new(
    { datamodels: [[path, readFileSync(path, "utf8")]] },
    () => {},
    bindMigrationAwareSqlAdapterFactory(factory),
  );
  try {
    return await fn(engine);
  } finally {
    // The engine holds the connection: free it so the process can exit.
    (engine as unknown as { free?: () => void }).free?.();
    // SQLite: and close it, or it keeps the write lock until collected
    await factory.closeAll?.();
  }
}

/** Names of migrations recorded as applied (none if the table is missing). */
async function appliedMigrations(url: string): Promise<Set<string> | null> {
  const sql =
    "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL";
  try {
    if (dialectOf(url) === "sqlite") {
      const path = sqlitePath(url);
      if (path === ":memory:" || !existsSync(path)) return null;
      const Database = (await import("better-sqlite3")).default;
      const db = new Database(path, { readonly: true });
      try {
        return new Set((db.prepare(sql).all() as { migration_name: string }[]).map((r) => r.migration_name));
      } finally {
        db.close();
      }
    }
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return new Set((await client.query(sql)).rows.map((r) => r.migration_name as string));
    } finally {
      await client.end();
    }
  } catch {
    return null; // no database or no table yet: let the engine create them
  }
}

/**
 * Applies every pending migration; returns the names applied. When nothing
 * is pending the engine is not started at all: it is slow to start, and on
 * SQLite it fails beside another open connection (a running app).
 */
export async function migrate(url: string): Promise<string[]> {
  const dialect = dialectOf(url);
  const file = dialect === "sqlite" && sqlitePath(url) !== ":memory:" ? sqlitePath(url) : null;
  // at every start: a database made before its files were kept private is made private now
  if (file) privateSqliteFile(file);
  const applied = await appliedMigrations(url);
  if (applied && migrationsList(dialect).migrationDirectories.every((m) => applied.has(m.path))) return [];
  if (file) {
    // WAL lets readers (the API) go on while the worker writes. Set before
    // the engine opens its own connection.
    const Database = (await import("better-sqlite3")).default;
    const db = new Database(file);
    db.pragma("journal_mode = WAL");
    db.close();
  }
  const result = await withSchemaEngine(url, (engine) =>
    engine.applyMigrations({ migrationsList: migrationsList(dialect), filters: FILTERS }),
  );
  return result.appliedMigrationNames;
}
