// Batched reads and writes of targets for the merge: one statement to load
// everything a batch can touch, and writes that cost a prepared statement per
// row (SQLite, in-process) or one statement per batch (PostgreSQL, array
// parameters); never a round trip per record.
import "server-only";
import type { Row, SqlQuery } from "../db/sql-conn";
import { ATTRIBUTE_KEYS, SUBSCRIPTION_KEYS, type AttributeKey } from "../targets/fields";
import { WorkingSet } from "./apply-records";
import type { AttributeValue, TargetState } from "./target-state";

const COLUMNS = ["external_id", ...ATTRIBUTE_KEYS, "custom"] as const;
const IS_FLAG = new Set<string>(SUBSCRIPTION_KEYS);

function toBool(v: unknown): boolean | null {
  if (v === null || v === undefined) return null;
  return v === true || v === 1 || v === 1n || v === "1" || v === "t";
}

/** The stored custom values: a JSON object of slug → string | number, as writeWorkingSet stores it. */
const parseCustom = (text: unknown): TargetState["custom"] => {
  const value: unknown = JSON.parse(String(text ?? "{}"));
  const custom: TargetState["custom"] = {};
  if (value === null || typeof value !== "object" || Array.isArray(value)) return custom;
  for (const [slug, v] of Object.entries(value)) if (typeof v === "string" || typeof v === "number") custom[slug] = v;
  return custom;
};

export function rowToTarget(row: Row): TargetState {
  const attrs = {} as Record<AttributeKey, AttributeValue>;
  for (const k of ATTRIBUTE_KEYS) attrs[k] = IS_FLAG.has(k) ? toBool(row[k]) : ((row[k] as string | null) ?? null);
  return { externalId: String(row.external_id), attrs, custom: parseCustom(row.custom) };
}

export type MatchKeys = { externalIds: Set<string>; emails: Set<string>; phones: Set<string> };

const SELECT = `SELECT ${COLUMNS.join(", ")} FROM target WHERE`;
const SQLITE_LOAD = `${SELECT} external_id IN (SELECT value FROM json_each(?))
  UNION ALL ${SELECT} email IN (SELECT value FROM json_each(?))
  UNION ALL ${SELECT} phone_number IN (SELECT value FROM json_each(?))`;
const pgKeys = "ARRAY(SELECT json_array_elements_text(?::json))";
const PG_LOAD = `${SELECT} external_id = ANY(${pgKeys}) OR email = ANY(${pgKeys}) OR phone_number = ANY(${pgKeys})`;

/** Every stored target that the batch's keys can touch. */
export async function loadWorkingSet(q: SqlQuery, keys: MatchKeys): Promise<WorkingSet> {
  const ws = new WorkingSet();
  // the key lists travel as JSON text: one parameter each, parsed by the
  // database (node-pg's array escaping cost more than the lookups)
  const params = [JSON.stringify([...keys.externalIds]), JSON.stringify([...keys.emails]), JSON.stringify([...keys.phones])];
  const rows = await q.all(q.dialect === "postgresql" ? PG_LOAD : SQLITE_LOAD, params);
  for (const row of rows) {
    if (!ws.targets.has(String(row.external_id))) ws.addStored(rowToTarget(row));
  }
  return ws;
}

const UPDATES = [...ATTRIBUTE_KEYS, "custom", "updated_at"].map((c) => `${c} = excluded.${c}`).join(", ");
const SQLITE_UPSERT =
  `INSERT INTO target (${COLUMNS.join(", ")}, created_at, updated_at) VALUES (${COLUMNS.map(() => "?").join(", ")}, ?, ?) ` +
  `ON CONFLICT (external_id) DO UPDATE SET ${UPDATES}`;
/** PostgreSQL: the rows as one JSON array of arrays, one element per column. */
const PG_UPSERT =
  `INSERT INTO target (${COLUMNS.join(", ")}, created_at, updated_at)
   SELECT ${COLUMNS.map((c, i) => (IS_FLAG.has(c) ? `(r->>${i})::boolean` : `r->>${i}`)).join(", ")}, ?::timestamp(3), ?::timestamp(3)
     FROM json_array_elements(?::json) AS r
   ON CONFLICT (external_id) DO UPDATE SET ${UPDATES}`;

/** Inserts or updates every dirty target of the working set. */
export async function writeWorkingSet(q: SqlQuery, ws: WorkingSet, now: Date): Promise<void> {
  const dirty = [...ws.dirty].map((id) => ws.targets.get(id)!);
  if (dirty.length === 0) return;
  const ts = now.toISOString();
  const rows = dirty.map((t) => [t.externalId, ...ATTRIBUTE_KEYS.map((k) => t.attrs[k]), JSON.stringify(t.custom)]);
  if (q.dialect === "postgresql") await q.run(PG_UPSERT, [ts, ts, JSON.stringify(rows)]);
  else await q.runMany(SQLITE_UPSERT, rows.map((r) => [...r, ts, ts]));
}
