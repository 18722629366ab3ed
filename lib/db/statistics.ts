// Table statistics for PostgreSQL's planner. A server may run with
// autovacuum off (this machine's does), and then a table that grew from
// nothing to a million rows is planned as if it were empty. The engine asks
// after its batches and analyses what has changed much since the last time.
import "server-only";
import type { SqlConn, SqlQuery } from "./sql-conn";

const TABLES = ["target", "target_change", "import_job", "import_chunk", "import_error"];
/** Analyse a table once this many rows changed, and at least half as many as it holds. */
const MIN_CHANGES = 10_000;
const SHARE = 0.5;
/** Vacuum once a fifth of a table is new or dead since the last vacuum (autovacuum's default share). */
const VACUUM_SHARE = 0.2;

/** Analyses the tables that changed much since they were last analysed; returns their names. */
export async function refreshStatistics(q: SqlQuery): Promise<string[]> {
  if (q.dialect !== "postgresql") return [];
  const rows = await q.all<{ relname: string; live: number; changed: number }>(
    `SELECT relname, n_live_tup AS live, n_mod_since_analyze AS changed
       FROM pg_stat_user_tables WHERE relname = ANY(?::text[])`,
    [TABLES],
  );
  const due = rows.filter((r) => Number(r.changed) >= MIN_CHANGES && Number(r.changed) >= SHARE * Number(r.live));
  for (const r of due) await q.run(`ANALYZE ${TABLES.find((t) => t === r.relname)}`);
  return due.map((r) => r.relname);
}

/** The members list counts through these tables' indexes alone once their pages are marked all-visible. */
const VISIBILITY_TABLES = ["target", "target_change"];

/**
 * PostgreSQL: what autovacuum would do for the members list. A count over an
 * index reads the table too for every page not marked all-visible, and only
 * VACUUM marks them; without autovacuum a bulk-loaded table is never
 * marked, and a count of 10,000 members reads 10,000 rows. Vacuums (and
 * analyses) the tables written much since their last vacuum; run from the
 * engine's housekeeping on its own connection, beside the merge (VACUUM
 * takes no lock that writes wait for). Returns the tables vacuumed.
 */
export async function refreshVisibility(conn: SqlConn): Promise<string[]> {
  if (conn.dialect !== "postgresql") return [];
  const rows = await conn.all<{ relname: string; live: number; changed: number }>(
    `SELECT relname, n_live_tup AS live, n_ins_since_vacuum + n_dead_tup AS changed
       FROM pg_stat_user_tables WHERE relname = ANY(?::text[])`,
    [VISIBILITY_TABLES],
  );
  const due = rows.filter((r) => Number(r.changed) >= MIN_CHANGES && Number(r.changed) >= VACUUM_SHARE * Number(r.live));
  for (const r of due) await conn.run(`VACUUM (ANALYZE) ${VISIBILITY_TABLES.find((t) => t === r.relname)}`);
  return due.map((r) => r.relname);
}
