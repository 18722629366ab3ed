import { env } from "../lib/env";
import { migrate } from "../lib/db/migrate";
import pg from "pg";
import { dialectOf, sqlitePath } from "../lib/db/dialect";
import { pgConn, sqliteConn } from "../lib/db/sql-conn";
import { backfillSearchColumns } from "../lib/targets/search-backfill";

const t0 = performance.now();
const applied = await migrate(env().DATABASE_URL);
if (applied.length) console.error(`migrate: applied ${applied.join(", ")}`);
// targets stored before the members list: their search columns (decision 025)
const url = env().DATABASE_URL;
const pool = dialectOf(url) === "postgresql" ? new pg.Pool({ connectionString: url, max: 1 }) : null;
const conn = pool ? pgConn(pool) : sqliteConn(sqlitePath(url));
const filled = await backfillSearchColumns(conn);
if (filled) console.error(`migrate: search columns of ${filled} members filled`);
await conn.close();
await pool?.end();
if (process.env.MIGRATE_VERBOSE) console.error(`migrate: ${Math.round(performance.now() - t0)} ms`);
// The WASM engine keeps its pool open; nothing else is left to do.
process.exit(0);
