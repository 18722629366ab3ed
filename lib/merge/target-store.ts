// Batched reads and writes of targets for the merge: a few statements per
// batch of records, never one per record.
import type { Tx } from "../db/client";
import type { Dialect } from "../db/dialect";
import { chunked, list, placeholders } from "../db/sql";
import { ATTRIBUTE_KEYS, SUBSCRIPTION_KEYS, type AttributeKey } from "../targets/fields";
import { WorkingSet } from "./apply-records";
import type { AttributeValue, TargetState } from "./target-state";

const COLUMNS = ["external_id", ...ATTRIBUTE_KEYS, "custom"] as const;
const IN_LIST_SIZE = 500;
const UPSERT_ROWS = 400;

type Row = Record<string, unknown>;

function toBool(v: unknown): boolean | null {
  if (v === null || v === undefined) return null;
  return v === true || v === 1 || v === 1n || v === "1" || v === "t";
}

export function rowToTarget(row: Row): TargetState {
  const attrs = {} as Record<AttributeKey, AttributeValue>;
  for (const k of ATTRIBUTE_KEYS) {
    attrs[k] = (SUBSCRIPTION_KEYS as readonly string[]).includes(k) ? toBool(row[k]) : ((row[k] as string | null) ?? null);
  }
  return { externalId: String(row.external_id), attrs, custom: JSON.parse(String(row.custom ?? "{}")) };
}

export type MatchKeys = { externalIds: Set<string>; emails: Set<string>; phones: Set<string> };

/** Every stored target that the batch's keys can touch. */
export async function loadWorkingSet(tx: Tx, dialect: Dialect, keys: MatchKeys): Promise<WorkingSet> {
  const ws = new WorkingSet();
  const select = `SELECT ${COLUMNS.join(", ")} FROM target WHERE `;
  if (dialect === "postgresql") {
    // one statement, three array parameters: the planner ORs the indexes
    const rows = (await tx.$queryRawUnsafe(
      `${select}external_id = ANY($1::text[]) OR email = ANY($2::text[]) OR phone_number = ANY($3::text[])`,
      [...keys.externalIds],
      [...keys.emails],
      [...keys.phones],
    )) as Row[];
    for (const row of rows) ws.addStored(rowToTarget(row));
    return ws;
  }
  const lookups: [string, Set<string>][] = [
    ["external_id", keys.externalIds],
    ["email", keys.emails],
    ["phone_number", keys.phones],
  ];
  for (const [column, values] of lookups) {
    for (const part of chunked([...values], IN_LIST_SIZE)) {
      const sql = placeholders(dialect, `${select}${column} IN ${list(part.length)}`);
      const rows = (await tx.$queryRawUnsafe(sql, ...part)) as Row[];
      for (const row of rows) {
        if (!ws.targets.has(String(row.external_id))) ws.addStored(rowToTarget(row));
      }
    }
  }
  return ws;
}

const UPDATES = [...ATTRIBUTE_KEYS, "custom", "updated_at"].map((c) => `${c} = excluded.${c}`).join(", ");

/** Inserts or updates every dirty target of the working set. */
export async function writeWorkingSet(tx: Tx, dialect: Dialect, ws: WorkingSet, now: Date): Promise<void> {
  const dirty = [...ws.dirty].map((id) => ws.targets.get(id)!);
  if (dirty.length === 0) return;
  if (dialect === "postgresql") return writePg(tx, dirty, now);
  // SQLite: multi-row VALUES; booleans as 1/0
  const rowSql = `(${new Array(COLUMNS.length + 2).fill("?").join(", ")})`;
  const nowParam = now.toISOString();
  for (const part of chunked(dirty, UPSERT_ROWS)) {
    const params: unknown[] = [];
    for (const t of part) {
      params.push(t.externalId);
      for (const k of ATTRIBUTE_KEYS) {
        const v = t.attrs[k];
        params.push(typeof v === "boolean" ? (v ? 1 : 0) : v);
      }
      params.push(JSON.stringify(t.custom), nowParam, nowParam);
    }
    await tx.$executeRawUnsafe(
      `INSERT INTO target (${COLUMNS.join(", ")}, created_at, updated_at) VALUES ${part.map(() => rowSql).join(", ")} ` +
        `ON CONFLICT (external_id) DO UPDATE SET ${UPDATES}`,
      ...params,
    );
  }
}

/** PostgreSQL: one statement for the whole batch, a column array per parameter. */
async function writePg(tx: Tx, dirty: TargetState[], now: Date): Promise<void> {
  const isFlag = (c: string) => (SUBSCRIPTION_KEYS as readonly string[]).includes(c);
  const columns: unknown[][] = COLUMNS.map(() => []);
  for (const t of dirty) {
    columns[0].push(t.externalId);
    ATTRIBUTE_KEYS.forEach((k, i) => columns[i + 1].push(t.attrs[k]));
    columns[COLUMNS.length - 1].push(JSON.stringify(t.custom));
  }
  const unnest = COLUMNS.map((c, i) => `$${i + 1}::${isFlag(c) ? "boolean" : "text"}[]`).join(", ");
  const ts = `$${COLUMNS.length + 1}::timestamp(3)`;
  await tx.$executeRawUnsafe(
    `INSERT INTO target (${COLUMNS.join(", ")}, created_at, updated_at)
     SELECT u.*, ${ts}, ${ts} FROM unnest(${unnest}) AS u
     ON CONFLICT (external_id) DO UPDATE SET ${UPDATES}`,
    ...columns,
    now.toISOString(),
  );
}
