// The target table's reads and writes, batched for the merge: one statement
// to load everything a batch can touch, and writes that cost a prepared
// statement per row (SQLite, in-process) or one statement per batch
// (PostgreSQL, one JSON parameter); never a round trip per record. Also what
// a dry run writes instead of targets (its overlay, dry_run_target).
import "server-only";
import type { Row, SqlQuery } from "../db/sql-conn";
import { ATTRIBUTE_KEYS, SUBSCRIPTION_KEYS, type AttributeKey } from "../fields";
import type { AttributeValue, TargetState } from "./target-state";
import { SEARCH_COLUMNS, searchColumnValues } from "./search-columns";

const COLUMNS = ["external_id", ...ATTRIBUTE_KEYS, "custom"] as const;
const IS_FLAG = new Set<string>(SUBSCRIPTION_KEYS);

function toBool(v: unknown): boolean | null {
  if (v === null || v === undefined) return null;
  return v === true || v === 1 || v === 1n || v === "1" || v === "t";
}

/** The stored custom values: a JSON object of slug → string | number, as writeWorkingSet stores it. */
function parseCustom(value: unknown): TargetState["custom"] {
  const custom: TargetState["custom"] = {};
  if (value === null || typeof value !== "object" || Array.isArray(value)) return custom;
  for (const [slug, v] of Object.entries(value)) if (typeof v === "string" || typeof v === "number") custom[slug] = v;
  return custom;
}

export function rowToTarget(row: Row): TargetState {
  const attrs = {} as Record<AttributeKey, AttributeValue>;
  for (const k of ATTRIBUTE_KEYS) attrs[k] = IS_FLAG.has(k) ? toBool(row[k]) : ((row[k] as string | null) ?? null);
  const lastJobSeq = row.last_job_seq === null || row.last_job_seq === undefined ? null : Number(row.last_job_seq);
  return { externalId: String(row.external_id), attrs, custom: parseCustom(JSON.parse(String(row.custom ?? "{}"))), lastJobSeq };
}

/** A target's state as a before-image or an overlay keeps it (JSON), and back. */
export function stateValue(t: TargetState): { attrs: TargetState["attrs"]; custom: TargetState["custom"]; lastJobSeq: number | null } {
  return { attrs: t.attrs, custom: t.custom, lastJobSeq: t.lastJobSeq ?? null };
}

export function encodeState(t: TargetState): string {
  return JSON.stringify(stateValue(t));
}

export function decodeStateValue(externalId: string, value: unknown): TargetState {
  const v = (value ?? {}) as { attrs?: Record<string, unknown>; custom?: unknown; lastJobSeq?: unknown };
  const attrs = {} as Record<AttributeKey, AttributeValue>;
  for (const k of ATTRIBUTE_KEYS) {
    const a = v.attrs?.[k];
    attrs[k] = typeof a === "string" || typeof a === "boolean" ? a : null;
  }
  return { externalId, attrs, custom: parseCustom(v.custom), lastJobSeq: typeof v.lastJobSeq === "number" ? v.lastJobSeq : null };
}

export function decodeState(externalId: string, text: string): TargetState {
  return decodeStateValue(externalId, JSON.parse(text));
}

/**
 * PostgreSQL: every transaction that writes targets from what it read (a
 * merge or undo batch) holds this lock shared from before its reads; an
 * erasure holds it alone. Without it, a batch that read a member just before
 * an erasure committed would write the member back, old values and all.
 * (SQLite runs write transactions one at a time.)
 */
export const TARGET_ERASURE_LOCK = "target_erasure";

export async function lockTargetsForWriting(q: SqlQuery): Promise<void> {
  if (q.dialect === "postgresql") await q.run("SELECT pg_advisory_xact_lock_shared(hashtext(?))", [TARGET_ERASURE_LOCK]);
}

export async function lockTargetsForErasure(q: SqlQuery): Promise<void> {
  if (q.dialect === "postgresql") await q.run("SELECT pg_advisory_xact_lock(hashtext(?))", [TARGET_ERASURE_LOCK]);
}

export type MatchKeys = { externalIds: Set<string>; emails: Set<string>; phones: Set<string> };

const SELECT = `SELECT ${COLUMNS.join(", ")}, last_job_seq FROM target WHERE`;
const SQLITE_LOAD = `${SELECT} external_id IN (SELECT value FROM json_each(?))
  UNION ALL ${SELECT} email IN (SELECT value FROM json_each(?))
  UNION ALL ${SELECT} phone_number IN (SELECT value FROM json_each(?))`;
const pgKeys = "ARRAY(SELECT json_array_elements_text(?::json))";
const PG_LOAD = `${SELECT} external_id = ANY(${pgKeys}) OR email = ANY(${pgKeys}) OR phone_number = ANY(${pgKeys})`;

const OVERLAY = "SELECT external_id, state FROM dry_run_target WHERE job_id = ? AND";
const SQLITE_OVERLAY = `${OVERLAY} external_id IN (SELECT value FROM json_each(?))
  UNION ALL ${OVERLAY} email IN (SELECT value FROM json_each(?))
  UNION ALL ${OVERLAY} phone_number IN (SELECT value FROM json_each(?))`;
const PG_OVERLAY = `${OVERLAY} (external_id = ANY(${pgKeys}) OR email = ANY(${pgKeys}) OR phone_number = ANY(${pgKeys}))`;

/**
 * Every stored target that the batch's keys can touch. A dry run sees the
 * stored targets as its own earlier records left them (its overlay).
 */
export async function loadTargets(q: SqlQuery, keys: MatchKeys, dryRunJobId?: string): Promise<Iterable<TargetState>> {
  // the key lists travel as JSON text: one parameter each, parsed by the
  // database, cheaper than node-pg's escaping of arrays
  const params = [JSON.stringify([...keys.externalIds]), JSON.stringify([...keys.emails]), JSON.stringify([...keys.phones])];
  const rows = await q.all(q.dialect === "postgresql" ? PG_LOAD : SQLITE_LOAD, params);
  const found = new Map<string, TargetState>();
  for (const row of rows) {
    const t = rowToTarget(row);
    found.set(t.externalId, t);
  }
  if (dryRunJobId) {
    // what the dry run made of them: found by the batch's keys, and for every
    // stored target found above (whose email or phone it may have changed)
    const ids = JSON.stringify([...new Set([...keys.externalIds, ...found.keys()])]);
    const overlay = await q.all<{ external_id: string; state: string }>(
      q.dialect === "postgresql" ? PG_OVERLAY : SQLITE_OVERLAY,
      q.dialect === "postgresql" ? [dryRunJobId, ids, params[1], params[2]] : [dryRunJobId, ids, dryRunJobId, params[1], dryRunJobId, params[2]],
    );
    for (const o of overlay) found.set(o.external_id, decodeState(o.external_id, o.state));
  }
  return found.values();
}

/** What a write sets besides the timestamps: the target, its last writer, its search columns. */
const WRITTEN = [...COLUMNS, "last_job_seq", ...SEARCH_COLUMNS] as const;
const INTEGER = new Set<string>(["last_job_seq", "flag_code"]);
const UPSERT = `ON CONFLICT (external_id) DO UPDATE SET ${[...WRITTEN.slice(1), "updated_at"].map((c) => `${c} = excluded.${c}`).join(", ")}`;
const SQLITE_INSERT = `INSERT INTO target (${WRITTEN.join(", ")}, created_at, updated_at) VALUES (${WRITTEN.map(() => "?").join(", ")}, ?, ?)`;
/**
 * PostgreSQL: the rows as one JSON array of arrays, one element per column,
 * read as jsonb: parsed once, where json's `->>` parses the row again for
 * each column (faster than unnest arrays too).
 */
const PG_INSERT = `INSERT INTO target (${WRITTEN.join(", ")}, created_at, updated_at)
   SELECT ${WRITTEN.map((c, i) => (IS_FLAG.has(c) ? `(r->>${i})::boolean` : INTEGER.has(c) ? `(r->>${i})::int` : `r->>${i}`)).join(", ")}, ?::timestamp(3), ?::timestamp(3)
     FROM jsonb_array_elements(?::jsonb) AS r`;

/**
 * Writes targets as given, marked as written by the job or revert `seq` (or,
 * for a job undoing itself, the writer each target had before it).
 * `created`: none of them is stored (a plain insert, which PostgreSQL does
 * faster than an upsert of new rows; one that is stored fails the batch).
 */
export async function writeTargets(
  q: SqlQuery,
  targets: readonly TargetState[],
  now: Date,
  seq: number | ((t: TargetState) => number | null),
  opts: { created?: boolean } = {},
): Promise<void> {
  if (targets.length === 0) return;
  const ts = now.toISOString();
  const seqOf = typeof seq === "number" ? () => seq : seq;
  const rows = targets.map((t) => [t.externalId, ...ATTRIBUTE_KEYS.map((k) => t.attrs[k]), JSON.stringify(t.custom), seqOf(t), ...searchColumnValues(t)]);
  const conflict = opts.created ? "" : ` ${UPSERT}`;
  if (q.dialect === "postgresql") await q.run(PG_INSERT + conflict, [ts, ts, JSON.stringify(rows)]);
  else await q.runMany(SQLITE_INSERT + conflict, rows.map((r) => [...r, ts, ts]));
}

/** A dry run writes the targets it changed to its overlay instead. */
export async function writeOverlay(q: SqlQuery, jobId: string, targets: readonly TargetState[]): Promise<void> {
  const rows = targets.map((t) => [jobId, t.externalId, t.attrs.email, t.attrs.phone_number, encodeState(t)]);
  if (rows.length === 0) return;
  const upsert = "ON CONFLICT (job_id, external_id) DO UPDATE SET email = excluded.email, phone_number = excluded.phone_number, state = excluded.state";
  if (q.dialect === "postgresql") {
    await q.run(
      `INSERT INTO dry_run_target (job_id, external_id, email, phone_number, state)
       SELECT r->>0, r->>1, r->>2, r->>3, r->>4 FROM jsonb_array_elements(?::jsonb) AS r ${upsert}`,
      [JSON.stringify(rows)],
    );
  } else {
    await q.runMany(`INSERT INTO dry_run_target (job_id, external_id, email, phone_number, state) VALUES (?, ?, ?, ?, ?) ${upsert}`, rows);
  }
}
