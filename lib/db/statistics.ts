// Table statistics for PostgreSQL's planner. A server may run with
// autovacuum off (this machine's does), and then a table that grew from
// nothing to a million rows is planned as if it were empty. The engine asks
// after its batches and analyses what has changed much since the last time.
import "server-only";
import type { SqlQuery } from "./sql-conn";

const TABLES = ["target", "target_change", "import_job", "import_chunk", "import_error"];
/** Analyse a table once this many rows changed, and at least half as many as it holds. */
const MIN_CHANGES = 10_000;
const SHARE = 0.5;

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
