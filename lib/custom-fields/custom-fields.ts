import "server-only";
import { byOrSystem, type AuditBy } from "../audit/audit-actor";
import { recordAudit } from "../audit/record-audit";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { MAX_CUSTOM_FIELDS, type CreateCustomFieldInput, type CustomField, type RenameCustomFieldInput } from "./custom-field-schema";

function limitReached(): AppError {
  return new AppError(
    "limit_reached",
    `There are already ${MAX_CUSTOM_FIELDS} custom fields, the most this app keeps: reuse or rename one instead`,
    { extra: { limit: MAX_CUSTOM_FIELDS } },
  );
}

export async function listCustomFields(d: Db): Promise<CustomField[]> {
  const rows = await d.prisma.customField.findMany({ orderBy: { slug: "asc" } });
  return rows.map((r) => ({ slug: r.slug, label: r.label, kind: r.kind as CustomField["kind"] }));
}

/** `by`: who, for the audit log (the field and its entry are written together). */
export async function createCustomField(d: Db, { slug, label, kind }: CreateCustomFieldInput, by?: AuditBy): Promise<CustomField> {
  const existing = await d.prisma.customField.findUnique({ where: { slug } });
  if (existing) throw new AppError("already_exists", `A custom field with slug ${slug} already exists`);
  if ((await d.prisma.customField.count()) >= MAX_CUSTOM_FIELDS) throw limitReached();
  try {
    await d.prisma.$transaction(async (tx) => {
      await tx.customField.create({ data: { slug, label, kind } });
      await recordAudit(tx, { ...byOrSystem(by), action: "field_created", subjectType: "field", subject: slug, detail: { label, kind } });
    });
  } catch (e) {
    if ((e as { code?: string }).code === "P2002") {
      throw new AppError("already_exists", `A custom field with slug ${slug} already exists`);
    }
    throw e;
  }
  // Creates racing past the check above: each counts again after its insert
  // and takes its own field back if the catalogue is over the limit, so at
  // most MAX_CUSTOM_FIELDS stay however many run at once.
  if ((await d.prisma.customField.count()) > MAX_CUSTOM_FIELDS) {
    await d.prisma.customField.deleteMany({ where: { slug } });
    throw limitReached();
  }
  return { slug, label, kind };
}

/**
 * Changes a field's label only: the slug is what API clients and CSV headers
 * use, so it never changes.
 */
export async function renameCustomField(d: Db, { slug, label }: RenameCustomFieldInput, by?: AuditBy): Promise<CustomField> {
  const updated = await d.prisma.$transaction(async (tx) => {
    const u = await tx.customField.updateMany({ where: { slug }, data: { label } });
    if (u.count > 0) await recordAudit(tx, { ...byOrSystem(by), action: "field_changed", subjectType: "field", subject: slug, detail: { label } });
    return u;
  });
  if (updated.count === 0) throw new AppError("not_found", `No custom field ${slug}`);
  const f = await d.prisma.customField.findUniqueOrThrow({ where: { slug } });
  return { slug: f.slug, label: f.label, kind: f.kind as CustomField["kind"] };
}
