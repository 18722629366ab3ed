import "server-only";
import type { Db } from "../db/client";
import { ROW_SELECT, toSavedMapping, type MappingUser } from "./saved-mapping-row";
import type { SavedMapping } from "./saved-mapping-schema";

/** Every saved mapping (all staff share them), by name. */
export async function listSavedMappings(d: Db, user: MappingUser): Promise<SavedMapping[]> {
  const rows = await d.prisma.savedMapping.findMany({ select: ROW_SELECT, orderBy: { nameKey: "asc" } });
  return rows.map((r) => toSavedMapping(r, user));
}
