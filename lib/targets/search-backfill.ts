// Targets stored before the members list existed have no search columns: the
// migration that added them marked those rows (flag_code -1), and the first
// start after it computes them here, a page at a time, before the app opens.
import "server-only";
import type { SqlConn } from "../db/sql-conn";
import { ATTRIBUTE_KEYS } from "../fields";
import { SEARCH_COLUMNS, searchColumnValues } from "./search-columns";
import { rowToTarget } from "./target-store";

const PAGE = 2_000;

/** Fills the search columns of every marked target; returns how many. */
export async function backfillSearchColumns(conn: SqlConn): Promise<number> {
  const set = SEARCH_COLUMNS.map((c) => `${c} = ?`).join(", ");
  let done = 0;
  for (;;) {
    const n = await conn.tx(async (q) => {
      const rows = await q.all(`SELECT external_id, ${ATTRIBUTE_KEYS.join(", ")}, custom, last_job_seq FROM target WHERE flag_code = -1 LIMIT ${PAGE}`);
      for (const row of rows) {
        const t = rowToTarget(row);
        await q.run(`UPDATE target SET ${set} WHERE external_id = ?`, [...searchColumnValues(t), t.externalId]);
      }
      return rows.length;
    });
    done += n;
    if (n < PAGE) return done;
  }
}
