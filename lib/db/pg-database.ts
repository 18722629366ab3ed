// A PostgreSQL database made beside another, on the same server, and dropped
// again: the migration engine's shadow database and the tests' own databases.
import "server-only";
import pg from "pg";

async function onServer(url: string, sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** Creates the empty database `name` on the server `url` connects to; its URL. */
export async function createPgDatabase(url: string, name: string): Promise<string> {
  await onServer(url, `CREATE DATABASE "${name}"`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Drops the database `name` on the server `url` connects to, closing whatever is still connected to it. */
export async function dropPgDatabase(url: string, name: string): Promise<void> {
  await onServer(url, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}
