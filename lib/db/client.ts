import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient as SqliteClient } from "../generated/sqlite/client";
import { PrismaClient as PgClient } from "../generated/pg/client";
import { env } from "../env";
import { dialectOf, sqlitePath, type Dialect } from "./dialect";

// Both generated clients come from one model, so their APIs are the same; the
// SQLite client's type stands for both.
export type Prisma = SqliteClient;
export type Tx = Parameters<Parameters<Prisma["$transaction"]>[0]>[0];

export type Db = {
  prisma: Prisma;
  dialect: Dialect;
  url: string;
};

export function createDb(url: string): Db {
  const dialect = dialectOf(url);
  if (dialect === "sqlite") {
    // timeout: wait for another process's write lock instead of failing.
    const adapter = new PrismaBetterSqlite3({ url: sqlitePath(url), timeout: 30_000 });
    return { prisma: new SqliteClient({ adapter }), dialect, url };
  }
  // Our own pool, so that a connection the server cuts (restart, failover,
  // pg_terminate_backend) is an error for the query using it, not an
  // unhandled 'error' event that would bring the whole process down.
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  pool.on("error", (e) => console.error(`database connection lost: ${e.message}`));
  pool.on("connect", (client) => client.on("error", (e) => console.error(`database connection lost: ${e.message}`)));
  const adapter = new PrismaPg(pool, { disposeExternalPool: true });
  return { prisma: new PgClient({ adapter }) as unknown as Prisma, dialect, url };
}

const globalForDb = globalThis as unknown as { __db?: Db };

/** The process's database, from DATABASE_URL. */
export function db(): Db {
  if (!globalForDb.__db) globalForDb.__db = createDb(env().DATABASE_URL);
  return globalForDb.__db;
}
