// Searches every text column of every table of a test database for values
// (case-insensitively), as written and behind JSON's escapes: what an erasure
// must leave nowhere.
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

const SHORT_ESCAPES: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

/** The text with JSON's escapes read (\u0045 is E, \/ is /): a value written with them is still that value. */
export function unescapeJson(text: string): string {
  return text.replace(/\\(?:u([0-9a-fA-F]{4})|(["\\/bfnrt]))/g, (_, hex: string | undefined, c: string) =>
    hex ? String.fromCharCode(parseInt(hex, 16)) : SHORT_ESCAPES[c],
  );
}

/** The values that one of the texts holds, as written or unescaped. */
function heldIn(texts: readonly string[], values: readonly string[]): string[] {
  const readable = texts.flatMap((t) => [t.toLowerCase(), unescapeJson(t).toLowerCase()]);
  return values.filter((v) => readable.some((t) => t.includes(v.toLowerCase())));
}

/** Every (table, column, value) where a column holds one of the values anywhere in its text (deflated request bodies too). */
export async function searchWholeDatabase(d: Db, values: readonly string[]): Promise<Hit[]> {
  const hits: Hit[] = [];
  const columns = await textColumns(d);
  expectSome(columns.length);
  const pg = d.sql.dialect === "postgresql";
  for (const { table, column } of columns) {
    const text = pg ? `"${column}"::text` : `CAST("${column}" AS TEXT)`;
    const contains = (expr: string) => (pg ? `strpos(${expr}, ?) > 0` : `instr(${expr}, ?) > 0`);
    const found = new Set<string>();
    for (const value of values) {
      const row = await d.sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM "${table}" WHERE ${contains(`lower(${text})`)}`, [value.toLowerCase()]);
      if (Number(row!.n) > 0) found.add(value);
    }
    // what an escape hides from the database's own search
    const escaped = await d.sql.all<{ v: string }>(`SELECT ${text} AS v FROM "${table}" WHERE ${contains(text)}`, ["\\"]);
    for (const value of heldIn(escaped.map((r) => r.v), values)) found.add(value);
    for (const value of found) hits.push({ table, column, value });
  }
  const packed = await d.sql.all<{ packed: Uint8Array }>("SELECT packed FROM import_chunk WHERE packed IS NOT NULL");
  for (const value of heldIn(packed.map((c) => unpackText(c.packed)), values)) hits.push({ table: "import_chunk", column: "packed", value });
  return hits;
}

function expectSome(n: number): void {
  if (n < 20) throw new Error(`the database search found only ${n} columns: it would prove nothing`);
}
