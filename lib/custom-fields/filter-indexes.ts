// Filterable custom fields (decision 027): an admin marks a field, the
// engine builds an index on the very expression the members search reads
// (target_cf_<id>), and the search drives from it once it is ready. The
// index is built by the engine when it is idle, never in the web server: on
// a million members it takes seconds, and better-sqlite3 would block every
// request meanwhile.
import "server-only";
import { byOrSystem, type AuditBy } from "../audit/audit-actor";
import { recordAudit } from "../audit/record-audit";
import type { Db } from "../db/client";
import type { Dialect } from "../db/dialect";
import type { SqlConn } from "../db/sql-conn";
import { AppError } from "../errors";
import type { CustomFieldKind } from "../fields";
import { MAX_FILTERABLE_FIELDS } from "./custom-field-schema";

/** What the SQL below needs of a field. */
export type IndexedField = { id: number; slug: string; kind: CustomFieldKind };

const SLUG = /^[a-z][a-z0-9_]{0,62}$/;

/** The slug, checked again where it is written into SQL (the schema checked it when the field was made). */
function slugOf(slug: string): string {
  if (!SLUG.test(slug)) throw new Error(`Not a custom field slug: ${JSON.stringify(slug)}`);
  return slug;
}

export function filterIndexName(id: number): string {
  if (!Number.isSafeInteger(id) || id < 1) throw new Error(`Not a custom field id: ${id}`);
  return `target_cf_${id}`;
}

/**
 * A field's value as the search compares it, written twice: `indexed`, the
 * index's own expression (the planner uses the index only for that exact
 * text, the slug a literal, not a parameter), and `residual`, the same value
 * in a form no index matches, checked only on rows found otherwise.
 * `table`: the name of the target table in the query (empty in the index).
 */
export function customValueSql(dialect: Dialect, field: Pick<IndexedField, "slug" | "kind">, table = "target."): { indexed: string; residual: string } {
  const slug = slugOf(field.slug);
  if (dialect === "sqlite") {
    const value = `json_extract(${table}custom, '$."${slug}"')`;
    return { indexed: value, residual: `+${value}` };
  }
  const text = `(${table}custom::jsonb ->> '${slug}')`;
  if (field.kind === "float") return { indexed: `(${text}::float8)`, residual: `(${text}::float8 + 0)` };
  // text and dates (ISO, so code point order is date order) compare as the target columns do
  return { indexed: `(${text} COLLATE "C")`, residual: `((${text} || '') COLLATE "C")` };
}

/** CREATE INDEX for a field (PostgreSQL: CONCURRENTLY, so run it outside a transaction). */
export function createFilterIndexSql(dialect: Dialect, field: IndexedField): string {
  const name = filterIndexName(field.id);
  const { indexed } = customValueSql(dialect, field, "");
  // whole on SQLite (members without the value are a null entry each); partial on PostgreSQL
  if (dialect === "sqlite") return `CREATE INDEX IF NOT EXISTS ${name} ON target (${indexed})`;
  return `CREATE INDEX CONCURRENTLY IF NOT EXISTS ${name} ON target (${indexed}) WHERE (custom::jsonb ->> '${slugOf(field.slug)}') IS NOT NULL`;
}

function dropFilterIndexSql(dialect: Dialect, name: string): string {
  return dialect === "sqlite" ? `DROP INDEX IF EXISTS ${name}` : `DROP INDEX CONCURRENTLY IF EXISTS ${name}`;
}

/** The filter indexes the database holds, by field id (PostgreSQL: whether each is valid; one left by a failed build is not). */
async function existingIndexes(conn: SqlConn): Promise<Map<number, boolean>> {
  const rows =
    conn.dialect === "sqlite"
      ? await conn.all<{ name: string; valid: number }>(
          "SELECT name, 1 AS valid FROM sqlite_master WHERE type = 'index' AND tbl_name = 'target' AND name GLOB 'target_cf_[0-9]*'",
        )
      : await conn.all<{ name: string; valid: boolean }>(
          `SELECT c.relname AS name, i.indisvalid AS valid FROM pg_index i
             JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
           WHERE t.relname = 'target' AND t.relnamespace = current_schema()::regnamespace AND c.relname ~ '^target_cf_[0-9]+$'`,
        );
  return new Map(rows.map((r) => [Number(r.name.slice("target_cf_".length)), Boolean(r.valid)]));
}

type FieldRow = { id: number; slug: string; kind: string; filterable: unknown; filter_index_ready: unknown };

/** Whether any field's index is not as its admin asked (one small query: the engine asks it whenever it is idle). */
export async function filterIndexesPending(conn: SqlConn): Promise<boolean> {
  return Boolean(await conn.get("SELECT 1 AS pending FROM custom_field WHERE filterable <> filter_index_ready LIMIT 1"));
}

/**
 * Makes the indexes what the fields ask for: builds the missing ones of
 * filterable fields, drops those of fields no longer filterable (or gone),
 * and sets each field's filter_index_ready to whether its index exists. One
 * index at a time, asking `keepGoing` before each (false: a job is waiting;
 * returns false, the rest left for the next idle moment).
 */
export async function syncFilterIndexes(conn: SqlConn, keepGoing: () => Promise<boolean> = async () => true): Promise<boolean> {
  const fields = await conn.all<FieldRow>("SELECT id, slug, kind, filterable, filter_index_ready FROM custom_field");
  const existing = await existingIndexes(conn);
  const byId = new Map(fields.map((f) => [Number(f.id), f]));
  const ready = async (id: number, value: boolean) => {
    const f = byId.get(id);
    if (f && Boolean(f.filter_index_ready) !== value) {
      await conn.run("UPDATE custom_field SET filter_index_ready = ? WHERE id = ?", [value, id]);
    }
  };
  for (const [id, valid] of existing) {
    if (valid && byId.get(id)?.filterable) continue;
    if (!(await keepGoing())) return false;
    // not wanted, its field gone, or left invalid by a build that broke (it is rebuilt below)
    await conn.run(dropFilterIndexSql(conn.dialect, filterIndexName(id)));
    await ready(id, false);
    existing.delete(id);
  }
  const built: number[] = [];
  let done = true;
  for (const f of fields) {
    const id = Number(f.id);
    if (!f.filterable || existing.has(id)) {
      await ready(id, existing.has(id));
      continue;
    }
    if (!(await keepGoing())) {
      done = false;
      break;
    }
    await conn.run(createFilterIndexSql(conn.dialect, { id, slug: f.slug, kind: f.kind as CustomFieldKind }));
    built.push(id);
  }
  // PostgreSQL keeps statistics of an indexed expression's values only after ANALYZE; until then it guesses their selectivity
  if (built.length > 0 && conn.dialect === "postgresql") await conn.run("ANALYZE target");
  for (const id of built) await ready(id, true);
  return done;
}

/**
 * An admin marks a field filterable or not; the engine builds or drops its
 * index when next idle. At most MAX_FILTERABLE_FIELDS, as every index costs
 * each write of a member that has the value.
 */
export async function setFilterable(d: Db, slug: string, filterable: boolean, by?: AuditBy): Promise<{ slug: string; filterable: boolean; ready: boolean }> {
  const field = await d.prisma.customField.findUnique({ where: { slug } });
  if (!field) throw new AppError("not_found", `No custom field ${slug}`);
  if (field.filterable === filterable) return { slug, filterable, ready: field.filterIndexReady };
  const full = () =>
    new AppError("limit_reached", `${MAX_FILTERABLE_FIELDS} fields already filter members, the most this app indexes: turn one off first`, {
      extra: { limit: MAX_FILTERABLE_FIELDS },
    });
  if (filterable && (await d.prisma.customField.count({ where: { filterable: true } })) >= MAX_FILTERABLE_FIELDS) throw full();
  await d.prisma.$transaction(async (tx) => {
    await tx.customField.update({ where: { slug }, data: { filterable } });
    await recordAudit(tx, { ...byOrSystem(by), action: "field_changed", subjectType: "field", subject: slug, detail: { filterable } });
  });
  // two admins racing past the check: each counts again and takes its own back if over
  if (filterable && (await d.prisma.customField.count({ where: { filterable: true } })) > MAX_FILTERABLE_FIELDS) {
    await d.prisma.customField.update({ where: { slug }, data: { filterable: false } });
    throw full();
  }
  return { slug, filterable, ready: field.filterIndexReady && filterable };
}

export type FieldFilterState = { filterable: boolean; ready: boolean };

/** Each field's filter state by slug, for the fields page and the members filter. */
export async function fieldFilterStates(d: Db): Promise<Record<string, FieldFilterState>> {
  const rows = await d.prisma.customField.findMany({ select: { slug: true, filterable: true, filterIndexReady: true } });
  return Object.fromEntries(rows.map((r) => [r.slug, { filterable: r.filterable, ready: r.filterable && r.filterIndexReady }]));
}
