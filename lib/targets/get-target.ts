import "server-only";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { listedMember } from "./search-targets";
import type { TargetState } from "./target-state";

/** The slugs of every custom field, in the order a target's JSON lists them. */
export async function customSlugs(d: Db): Promise<string[]> {
  const fields = await d.prisma.customField.findMany({ select: { slug: true }, orderBy: { slug: "asc" } });
  return fields.map((f) => f.slug);
}

/** A target as flat JSON: the upsert's keys, every custom slug (null: no value), timestamps. */
export function targetJson(t: TargetState & { createdAt: string; updatedAt: string }, slugs: readonly string[]): Record<string, unknown> {
  // own values only: a slug such as "constructor" must not find Object's
  const custom = Object.fromEntries(slugs.map((slug) => [slug, Object.hasOwn(t.custom, slug) ? t.custom[slug] : null]));
  return { external_id: t.externalId, ...t.attrs, ...custom, created_at: t.createdAt, updated_at: t.updatedAt };
}

export async function getTarget(d: Db, externalId: string): Promise<Record<string, unknown>> {
  const rows = await d.sql.all("SELECT * FROM target WHERE external_id = ?", [externalId]);
  if (!rows[0]) throw new AppError("not_found", `No target with external_id ${externalId}`);
  return targetJson(listedMember(rows[0]), await customSlugs(d));
}
