// The floor for the pipeline's throughput: the same rows, already normalised,
// upserted straight into the same database engine with the driver's plain
// bulk path, into a table with the same columns and indexes as `target`.
//   SQLite: better-sqlite3, one prepared INSERT … ON CONFLICT(external_id) DO UPDATE, one transaction.
//   PostgreSQL: pg, INSERT … SELECT FROM unnest(…) ON CONFLICT DO UPDATE in batches of 10,000 (one transaction).
import Database from "better-sqlite3";
import pg from "pg";
import type { FreshDb } from "./database";

export type Row = readonly [string, string, string, string, string, boolean, boolean];

const COLS = "external_id, first_name, last_name, email, phone_number, subscription_email, subscription_sms, custom, created_at, updated_at";
const UPDATE =
  "first_name = excluded.first_name, last_name = excluded.last_name, email = excluded.email, phone_number = excluded.phone_number, " +
  "subscription_email = excluded.subscription_email, subscription_sms = excluded.subscription_sms, updated_at = excluded.updated_at";

/** Upserts rows into a new table `bench_plain` in the database; returns the elapsed ms (DDL excluded). */
export async function plainUpsert(db: FreshDb, rows: Row[]): Promise<number> {
  return db.dialect === "sqlite" ? sqlite(db.file!, rows) : postgresql(db.url, rows);
}

function sqlite(file: string, rows: Row[]): number {
  const db = new Database(file, { timeout: 30_000 });
  try {
    db.pragma("journal_mode = WAL"); // the app's own setting (lib/db/migrate.ts)
    db.exec(`
      CREATE TABLE bench_plain (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        external_id TEXT NOT NULL, first_name TEXT, last_name TEXT, email TEXT, phone_number TEXT,
        subscription_email BOOLEAN, subscription_sms BOOLEAN, subscription_phone BOOLEAN, subscription_whatsapp BOOLEAN,
        custom TEXT NOT NULL DEFAULT '{}', created_at DATETIME NOT NULL, updated_at DATETIME NOT NULL);
      CREATE UNIQUE INDEX bench_plain_external_id_key ON bench_plain(external_id);
      CREATE INDEX bench_plain_email_idx ON bench_plain(email);
      CREATE INDEX bench_plain_phone_number_idx ON bench_plain(phone_number);
      CREATE INDEX bench_plain_first_name_last_name_idx ON bench_plain(first_name, last_name);`);
    const stmt = db.prepare(`INSERT INTO bench_plain (${COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, '{}', ?, ?) ON CONFLICT(external_id) DO UPDATE SET ${UPDATE}`);
    const t0 = performance.now();
    db.transaction(() => {
      const now = Date.now();
      for (const r of rows) stmt.run(r[0], r[1], r[2], r[3], r[4], r[5] ? 1 : 0, r[6] ? 1 : 0, now, now);
    })();
    const ms = performance.now() - t0;
    const n = (db.prepare("SELECT count(*) AS n FROM bench_plain").get() as { n: number }).n;
    if (n !== new Set(rows.map((r) => r[0])).size) throw new Error(`plain upsert: ${n} rows in bench_plain`);
    return ms;
  } finally {
    db.close();
  }
}

async function postgresql(url: string, rows: Row[]): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`
      CREATE TABLE bench_plain (
        id SERIAL PRIMARY KEY,
        external_id TEXT NOT NULL, first_name TEXT, last_name TEXT, email TEXT, phone_number TEXT,
        subscription_email BOOLEAN, subscription_sms BOOLEAN, subscription_phone BOOLEAN, subscription_whatsapp BOOLEAN,
        custom TEXT NOT NULL DEFAULT '{}', created_at TIMESTAMP(3) NOT NULL, updated_at TIMESTAMP(3) NOT NULL);
      CREATE UNIQUE INDEX bench_plain_external_id_key ON bench_plain(external_id);
      CREATE INDEX bench_plain_email_idx ON bench_plain(email);
      CREATE INDEX bench_plain_phone_number_idx ON bench_plain(phone_number);
      CREATE INDEX bench_plain_first_name_last_name_idx ON bench_plain(first_name, last_name);`);
    const BATCH = 10_000;
    const t0 = performance.now();
    await client.query("BEGIN");
    for (let s = 0; s < rows.length; s += BATCH) {
      const part = rows.slice(s, s + BATCH);
      const cols = [0, 1, 2, 3, 4, 5, 6].map((c) => part.map((r) => r[c]));
      await client.query(
        `INSERT INTO bench_plain (${COLS})
         SELECT e, f, l, m, p, se, ss, '{}', now(), now()
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bool[], $7::bool[]) AS u(e, f, l, m, p, se, ss)
         ON CONFLICT (external_id) DO UPDATE SET ${UPDATE}`,
        cols,
      );
    }
    await client.query("COMMIT");
    const ms = performance.now() - t0;
    const { rows: c } = await client.query("SELECT count(*)::int AS n FROM bench_plain");
    if (c[0].n !== new Set(rows.map((r) => r[0])).size) throw new Error(`plain upsert: ${c[0].n} rows in bench_plain`);
    return ms;
  } finally {
    await client.end();
  }
}
