import "server-only";
import type { Db } from "../db/client";
import { findChangeable, isUniqueViolation, nameTaken, ROW_SELECT, toSavedMapping, type MappingUser } from "./saved-mapping-row";
import { mappingNameKey, type RenameSavedMappingInput, type SavedMapping } from "./saved-mapping-schema";

/** Renames a saved mapping: its author or an admin (docs/decisions/012-saved-mappings.md). */
export async function renameSavedMapping(d: Db, user: MappingUser, { id, name }: RenameSavedMappingInput): Promise<SavedMapping> {
  await findChangeable(d, user, id);
  const nameKey = mappingNameKey(name);
  const other = await d.prisma.savedMapping.findUnique({ where: { nameKey }, select: { id: true } });
  if (other && other.id !== id) throw nameTaken(name);
  try {
    const row = await d.prisma.savedMapping.update({ where: { id }, data: { name, nameKey }, select: ROW_SELECT });
    return toSavedMapping(row, user);
  } catch (e) {
    if (isUniqueViolation(e)) throw nameTaken(name);
    if ((e as { code?: string }).code === "P2025") return findChangeable(d, user, id) as never; // deleted meanwhile: not_found
    throw e;
  }
}
