import "server-only";
import { byOrSystem, type AuditBy } from "../audit/audit-actor";
import { recordAudit } from "../audit/record-audit";
import type { Db } from "../db/client";
import { findChangeable, isUniqueViolation, nameTaken, ROW_SELECT, toSavedMapping, type MappingUser } from "./saved-mapping-row";
import { mappingNameKey, type RenameSavedMappingInput, type SavedMapping } from "./saved-mapping-schema";

/** Renames a saved mapping: its author or an admin (docs/decisions/012-saved-mappings.md). */
export async function renameSavedMapping(d: Db, user: MappingUser, { id, name }: RenameSavedMappingInput, by?: AuditBy): Promise<SavedMapping> {
  const before = await findChangeable(d, user, id);
  const nameKey = mappingNameKey(name);
  const other = await d.prisma.savedMapping.findUnique({ where: { nameKey }, select: { id: true } });
  if (other && other.id !== id) throw nameTaken(name);
  try {
    const row = await d.prisma.$transaction(async (tx) => {
      const renamed = await tx.savedMapping.update({ where: { id }, data: { name, nameKey }, select: ROW_SELECT });
      await recordAudit(tx, { ...byOrSystem(by), action: "mapping_renamed", subjectType: "mapping", subject: id, detail: { name, from: before.name } });
      return renamed;
    });
    return toSavedMapping(row, user);
  } catch (e) {
    if (isUniqueViolation(e)) throw nameTaken(name);
    if ((e as { code?: string }).code === "P2025") return findChangeable(d, user, id) as never; // deleted meanwhile: not_found
    throw e;
  }
}
