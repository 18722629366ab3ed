import "server-only";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { rowToTarget } from "./target-store";

/** A target as flat JSON: the upsert's keys, every custom slug, timestamps. */
export async function getTarget(d: Db, externalId: string): Promise<Record<string, unknown>> {
  const rows = await d.sql.all("SELECT * FROM target WHERE external_id = ?", [externalId]);
  if (!rows[0]) throw new AppError("not_found", `No target with external_id ${externalId}`);
  const t = rowToTarget(rows[0]);
  const fields = await d.prisma.customField.findMany({ select: { slug: true }, orderBy: { slug: "asc" } });
  // own values only: a slug such as "constructor" must not find Object's
  const custom = Object.fromEntries(fields.map((f) => [f.slug, Object.hasOwn(t.custom, f.slug) ? t.custom[f.slug] : null]));
  const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString());
  return {
    external_id: t.externalId,
    ...t.attrs,
    ...custom,
    created_at: iso(rows[0].created_at),
    updated_at: iso(rows[0].updated_at),
  };
}
