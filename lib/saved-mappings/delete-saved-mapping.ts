import "server-only";
import { byOrSystem, type AuditBy } from "../audit/audit-actor";
import { recordAudit } from "../audit/record-audit";
import type { Db } from "../db/client";
import type { DeleteSavedMappingInput } from "./saved-mapping-schema";
import { findChangeable, type MappingUser } from "./saved-mapping-row";

/**
 * Deletes a saved mapping for everyone: its author or an admin. Imports
 * made with it keep their own copy of the mapping, so nothing else changes.
 */
export async function deleteSavedMapping(d: Db, user: MappingUser, { id }: DeleteSavedMappingInput, by?: AuditBy): Promise<{ id: string; name: string }> {
  const row = await findChangeable(d, user, id);
  await d.prisma.$transaction(async (tx) => {
    // deleted by someone else meanwhile: theirs is the entry
    const { count } = await tx.savedMapping.deleteMany({ where: { id } });
    if (count > 0) await recordAudit(tx, { ...byOrSystem(by), action: "mapping_deleted", subjectType: "mapping", subject: id, detail: { name: row.name } });
  });
  return { id, name: row.name };
}
