import "server-only";
import type { Db } from "../db/client";
import type { DeleteSavedMappingInput } from "./saved-mapping-schema";
import { findChangeable, type MappingUser } from "./saved-mapping-row";

/**
 * Deletes a saved mapping for everyone: its author or an admin. Imports
 * made with it keep their own copy of the mapping, so nothing else changes.
 */
export async function deleteSavedMapping(d: Db, user: MappingUser, { id }: DeleteSavedMappingInput): Promise<{ id: string; name: string }> {
  const row = await findChangeable(d, user, id);
  await d.prisma.savedMapping.deleteMany({ where: { id } });
  return { id, name: row.name };
}
