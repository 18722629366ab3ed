import "server-only";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient as SqliteClient } from "../generated/sqlite/client";
import { PrismaClient as PgClient } from "../generated/pg/client";
import { env } from "../env";
import { privateSqliteFile } from "../private-files";
import { dialectOf, sqlitePath, type Dialect } from "./dialect";
import { pgConn, sqliteConn, type ConnRole, type SqlConn } from "./sql-conn";

// Both generated clients come from one model, so their APIs are the same; the
// SQLite client's type stands for both.
export type Prisma = SqliteClient;
export type Tx = Parameters<Parameters<Prisma["$transaction"]>[0]>[0];

/** Prisma for the database or one of its transactions, so a change and what it records can share the transaction. */
export function prismaOf(d: Db | Tx): Tx {
  return "prisma" in d ? d.prisma : d;
}

export type Db = {
  /** Prisma: the model, and every query off the hot paths. */
  prisma: Prisma;
  /** The drivers themselves, for the hot paths (lib/db/sql-conn.ts). */
  sql: SqlConn;
  dialect: Dialect;
  url: string;
  close(): Promise<void>;
};

// Parses int8 (counts, epoch milliseconds) as numbers: every value we keep
// there is far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));

/** `engine`: the connection settings of the import engine (lib/db/sql-conn.ts); default web. */
export function createDb(url: string, opts: { role?: ConnRole } = {}): Db {
  const dialect = dialectOf(url);
  if (dialect === "sqlite") {
    privateSqliteFile(sqlitePath(url));
    // timeout: Prisma's queries (admin pages, sign-in) wait for another
    // process's write lock instead of failing. Jobs and merges go through
    // `sql`, which never waits on the thread.
    const adapter = new PrismaBetterSqlite3({ url: sqlitePath(url), timeout: 30_000 });
    const prisma = new SqliteClient({ adapter });
    const sql = sqliteConn(sqlitePath(url), opts.role);
    return {
      prisma,
      sql,
      dialect,
      url,
      async close() {
        await prisma.$disconnect();
        await sql.close();
      },
    };
  }
  // Our own pool, so that a connection the server cuts (restart, failover,
  // pg_terminate_backend) is an error for the query using it, not an
  // unhandled 'error' event that would bring the whole process down.
  // The engine's sessions: commits do not wait for the WAL flush (as
  // SQLite's NORMAL: a crash can only undo the last batches, with their
  // fenced progress, and they are merged again; accepting a job always
  // waits), and every query is a key lookup, so never a full scan, whatever
  // the statistics say (lib/db/statistics.ts).
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    ...(opts.role === "engine" ? { options: "-c synchronous_commit=off -c enable_seqscan=off" } : {}),
  });
  pool.on("error", (e) => console.error(`database connection lost: ${e.message}`));
  pool.on("connect", (client) => client.on("error", (e) => console.error(`database connection lost: ${e.message}`)));
  const adapter = new PrismaPg(pool, { disposeExternalPool: true });
  const prisma = new PgClient({ adapter }) as unknown as Prisma;
  return { prisma, sql: pgConn(pool), dialect, url, close: () => prisma.$disconnect() };
}

const globalForDb = globalThis as unknown as { __db?: Db };

/** The process's database, from DATABASE_URL. */
export function db(): Db {
  if (!globalForDb.__db) globalForDb.__db = createDb(env().DATABASE_URL);
  return globalForDb.__db;
}
