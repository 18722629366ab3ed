import "server-only";
import type { SqlQuery } from "../db/sql-conn";
import { CUSTOM_FIELD_KINDS, type CustomFieldKind, type FieldCatalog } from "../fields";

/** slug → kind of every custom field now; `key` tells two catalogs apart. */
export async function loadCatalog(q: SqlQuery): Promise<FieldCatalog & { key: string }> {
  const rows = await q.all<{ slug: string; kind: string }>("SELECT slug, kind FROM custom_field ORDER BY slug");
  const kinds = new Set<string>(CUSTOM_FIELD_KINDS);
  const catalog = new Map(rows.filter((r) => kinds.has(r.kind)).map((r) => [r.slug, r.kind as CustomFieldKind]));
  return Object.assign(catalog, { key: JSON.stringify(rows) });
}
