// Searches every text column of every table of a test database for values
// (case-insensitively): what an erasure must leave nowhere.
import type { Db } from "@/lib/db/client";
import { unpackText } from "@/lib/jobs/staged-rows";

export type Hit = { table: string; column: string; value: string };

async function textColumns(d: Db): Promise<{ table: string; column: string }[]> {
  if (d.sql.dialect === "postgresql") {
    return d.sql.all<{ table: string; column: string }>(
      `SELECT table_name AS "table", column_name AS "column" FROM information_schema.columns
        WHERE table_schema = current_schema() AND data_type IN ('text', 'character varying', 'character', 'json', 'jsonb')
        ORDER BY table_name, column_name`,
    );
  }
  // SQLite stores any value in any column: every column of every table
  const tables = await d.sql.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
  const out: { table: string; column: string }[] = [];
  for (const { name } of tables) {
    for (const c of await d.sql.all<{ name: string }>(`SELECT name FROM pragma_table_info(?)`, [name])) out.push({ table: name, column: c.name });
  }
  return out;
}

/** Every (table, column, value) where a column holds one of the values anywhere in its text (deflated request bodies too). */
export async function searchWholeDatabase(d: Db, values: readonly string[]): Promise<Hit[]> {
  const hits: Hit[] = [];
  const columns = await textColumns(d);
  expectSome(columns.length);
  for (const { table, column } of columns) {
    const col = d.sql.dialect === "postgresql" ? `lower("${column}"::text)` : `lower(CAST("${column}" AS TEXT))`;
    const contains = d.sql.dialect === "postgresql" ? `strpos(${col}, ?) > 0` : `instr(${col}, ?) > 0`;
    for (const value of values) {
      const row = await d.sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM "${table}" WHERE ${contains}`, [value.toLowerCase()]);
      if (Number(row!.n) > 0) hits.push({ table, column, value });
    }
  }
  const packed = await d.sql.all<{ packed: Uint8Array }>("SELECT packed FROM import_chunk WHERE packed IS NOT NULL");
  const texts = packed.map((c) => unpackText(c.packed).toLowerCase());
  for (const value of values) {
    if (texts.some((t) => t.includes(value.toLowerCase()))) hits.push({ table: "import_chunk", column: "packed", value });
  }
  return hits;
}

function expectSome(n: number): void {
  if (n < 20) throw new Error(`the database search found only ${n} columns: it would prove nothing`);
}
