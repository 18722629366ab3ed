// Raw driver access for the hot paths (accepting jobs, the queue, staging,
// the merge): better-sqlite3 and pg without Prisma's per-call cost, far
// above a prepared better-sqlite3 statement's (docs/decisions/008). Prisma
// stays for everything else.
//
// SQL is written once with `?` placeholders; PostgreSQL gets `$1, $2, …`.
//
// SQLite is synchronous, and SQLite's own busy handler sleeps on the calling
// thread while another process holds the write lock. A web server must never
// do that, so writes here never wait inside SQLite: the connection has no
// busy timeout, and a write that finds the lock taken is retried from a timer,
// leaving the event loop free. Reads use a second connection and never wait
// (WAL). One write transaction at a time per connection (a mutex), so
// statements of concurrent requests cannot land in each other's transaction.
import "server-only";
import Database from "better-sqlite3";
import pg from "pg";
import type { Dialect } from "./dialect";

export type Row = Record<string, unknown>;
export type Params = readonly unknown[];

/** Statements run in one place: a connection, or inside a transaction. */
export interface SqlQuery {
  readonly dialect: Dialect;
  all<T = Row>(sql: string, params?: Params): Promise<T[]>;
  get<T = Row>(sql: string, params?: Params): Promise<T | undefined>;
  /** A statement without rows; the number of rows it changed. */
  run(sql: string, params?: Params): Promise<number>;
  /**
   * One statement run once per parameter list. SQLite: a prepared statement
   * in a loop, the fastest way to write rows in-process. (PostgreSQL: one
   * round trip each; batch with array parameters there instead.)
   */
  runMany(sql: string, paramLists: readonly Params[]): Promise<void>;
}

export interface SqlConn extends SqlQuery {
  /**
   * A write transaction (SQLite: BEGIN IMMEDIATE, so it holds the write lock
   * from its first statement). Committed when `fn` resolves, rolled back when
   * it throws.
   */
  tx<T>(fn: (q: SqlQuery) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const pgTextCache = new Map<string, string>();
/** `?` → `$n`; cached, the same statements run millions of times. */
export function pgText(sql: string): string {
  let text = pgTextCache.get(sql);
  if (text === undefined) {
    let n = 0;
    text = sql.replace(/\?/g, () => `$${++n}`);
    if (pgTextCache.size < 10_000) pgTextCache.set(sql, text);
  }
  return text;
}

/** One queue: each task starts when the one before it has settled. */
class Mutex {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => {});
    return result;
  }
}

// ---------------------------------------------------------------------------
// SQLite

const BUSY = /^SQLITE_BUSY/;
const RETRY_FOR_MS = 60_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function sqliteParam(v: unknown): unknown {
  if (v === undefined) return null;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (v instanceof Date) return v.toISOString();
  return v;
}

class SqliteHandle {
  private readonly statements = new Map<string, Database.Statement>();
  constructor(readonly db: Database.Database) {}

  private prepare(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      if (this.statements.size < 500) this.statements.set(sql, s);
    }
    return s;
  }

  all<T>(sql: string, params: Params = []): T[] {
    return this.prepare(sql).all(...params.map(sqliteParam)) as T[];
  }

  runMany(sql: string, paramLists: readonly Params[]): void {
    const s = this.prepare(sql);
    for (const params of paramLists) s.run(...params.map(sqliteParam));
  }

  run(sql: string, params: Params = []): number {
    const s = this.prepare(sql);
    if (s.reader) {
      s.all(...params.map(sqliteParam));
      return 0;
    }
    return s.run(...params.map(sqliteParam)).changes;
  }
}

/**
 * Runs `step` until it does not fail with SQLITE_BUSY, trying again every
 * millisecond from a timer. SQLite has no queue for its write lock: the
 * engine leaves a gap after each of its writes that held the lock a while (ENGINE_GAP_MS) that
 * these retries fall into, so an accepted job waits at most about one batch.
 */
async function whenUnlocked<T>(step: () => T): Promise<T> {
  const deadline = Date.now() + RETRY_FOR_MS;
  for (;;) {
    try {
      return step();
    } catch (e) {
      if (!BUSY.test((e as { code?: string }).code ?? "") || Date.now() > deadline) throw e;
    }
    await sleep(1);
  }
}

/**
 * The engine's pause after a write transaction that held the lock a while
 * (a merge batch, not a claim), in which the web server's writes get it.
 */
const ENGINE_GAP_MS = 2;
const LONG_TX_MS = 3;

/**
 * Who writes through a connection decides its settings (docs/decisions/008):
 * - web: job acceptance. Commits are fully synced (a job answered 200 must
 *   survive a power cut) and never checkpoint the WAL, which would copy pages
 *   to the database file on the request thread.
 * - engine: merges. `synchronous = NORMAL` (WAL: no sync per commit; a power
 *   cut can only undo the last batches, with their fenced progress, which are
 *   then merged again) and the WAL checkpoints happen here.
 */
export type ConnRole = "web" | "engine";

function openWriter(path: string, role: ConnRole): Database.Database {
  const db = new Database(path, { timeout: 0 });
  db.pragma("foreign_keys = ON");
  if (role === "engine") {
    db.pragma("synchronous = NORMAL");
    db.pragma("wal_autocheckpoint = 4000");
  } else {
    db.pragma("wal_autocheckpoint = 0");
  }
  return db;
}

export function sqliteConn(path: string, role: ConnRole = "web"): SqlConn {
  const writer = new SqliteHandle(openWriter(path, role));
  const reader = new SqliteHandle(new Database(path, { readonly: true, timeout: 5_000 }));
  const mutex = new Mutex();
  let lastCommit = 0;
  let lastHeld = 0;
  const gap = async () => {
    const wait = lastCommit + ENGINE_GAP_MS - performance.now();
    if (role === "engine" && lastHeld >= LONG_TX_MS && wait > 0) await sleep(wait);
  };
  /** The write lock was let go: when, and how long it was held since `began` (what the next gap depends on). */
  const released = (began: number) => {
    lastCommit = performance.now();
    lastHeld = lastCommit - began;
  };
  const inTx: SqlQuery = {
    dialect: "sqlite",
    all: async (sql, params) => writer.all(sql, params),
    get: async (sql, params) => writer.all<never>(sql, params)[0],
    run: async (sql, params) => writer.run(sql, params),
    runMany: async (sql, lists) => writer.runMany(sql, lists),
  };
  /** One write statement (its own transaction), after the same gap as a transaction's and timed like one. */
  const write = <T>(step: () => T) =>
    mutex.run(async () => {
      await gap();
      return whenUnlocked(() => {
        const began = performance.now();
        try {
          return step();
        } finally {
          released(began);
        }
      });
    });
  return {
    dialect: "sqlite",
    all: async (sql, params) => reader.all(sql, params),
    get: async (sql, params) => reader.all<never>(sql, params)[0],
    // the engine's bulk deletes (retention, previews' overlays) run statement by statement: they leave the gap too
    run: (sql, params) => write(() => writer.run(sql, params)),
    runMany: (sql, lists) => write(() => writer.db.transaction(() => writer.runMany(sql, lists)).immediate()),
    tx: (fn) =>
      mutex.run(async () => {
        await gap();
        await whenUnlocked(() => writer.db.exec("BEGIN IMMEDIATE"));
        const began = performance.now();
        try {
          const result = await fn(inTx);
          writer.db.exec("COMMIT");
          return result;
        } catch (e) {
          if (writer.db.inTransaction) writer.db.exec("ROLLBACK");
          throw e;
        } finally {
          released(began);
        }
      }),
    async close() {
      writer.db.close();
      reader.db.close();
    },
  };
}

// ---------------------------------------------------------------------------
// PostgreSQL

/**
 * Each statement text gets a name, so a connection parses and plans it once
 * and then only binds and runs it: the merge's statements are re-sent for
 * every batch, and parsing and planning them each time was a measurable
 * share of the server's CPU (docs/decisions/020). The names are
 * per process and a connection prepares a name the first time it runs it
 * (node-pg remembers which it has). Statements whose text varies (one row
 * group per accepted request) are few; past PG_NAMED_MAX texts, new ones
 * run unnamed, so a connection never holds an unbounded number.
 */
export const PG_NAMED_MAX = 1_000;
const pgNames = new Map<string, string>();
function pgStatement(sql: string, params: Params): pg.QueryConfig {
  const text = pgText(sql);
  let name = pgNames.get(text);
  if (name === undefined && pgNames.size < PG_NAMED_MAX) {
    name = `ti_${pgNames.size}`;
    pgNames.set(text, name);
  }
  return { name, text, values: params as unknown[] };
}

function pgQuery(client: pg.Pool | pg.PoolClient): SqlQuery {
  const all = async <T>(sql: string, params: Params = []) => (await client.query(pgStatement(sql, params))).rows as T[];
  return {
    dialect: "postgresql",
    all,
    get: async (sql, params) => (await all<never>(sql, params))[0],
    run: async (sql, params = []) => (await client.query(pgStatement(sql, params))).rowCount ?? 0,
    async runMany(sql, lists) {
      for (const params of lists) await client.query(pgStatement(sql, params));
    },
  };
}

export function pgConn(pool: pg.Pool): SqlConn {
  return {
    ...pgQuery(pool),
    async tx(fn) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query("BEGIN");
        const result = await fn(pgQuery(client));
        await client.query("COMMIT");
        return result;
      } catch (e) {
        await client.query("ROLLBACK").catch((rollbackError: Error) => (broken = rollbackError));
        throw e;
      } finally {
        client.release(broken);
      }
    },
    async close() {
      // the pool is Prisma's too: closed with it
    },
  };
}
