import "server-only";
import { randomUUID } from "node:crypto";
import { byOrSystem, type AuditBy } from "../audit/audit-actor";
import { recordAudit } from "../audit/record-audit";
import type { Db } from "../db/client";
import { loadCatalog } from "../custom-fields/load-catalog";
import { AppError, type ErrorDetail } from "../errors";
import { checkMapping } from "../jobs/column-check";
import { isUniqueViolation, nameTaken, ROW_SELECT, toSavedMapping, type MappingUser } from "./saved-mapping-row";
import { MAX_SAVED_MAPPINGS, mappingNameKey, type SaveMappingInput, type SavedMapping } from "./saved-mapping-schema";

function limitReached(): AppError {
  return new AppError(
    "limit_reached",
    `There are already ${MAX_SAVED_MAPPINGS} saved mappings, the most this app keeps: delete one you no longer use`,
    { extra: { limit: MAX_SAVED_MAPPINGS } },
  );
}

/**
 * Saves a mapping under a new name. It must be one the wizard could import
 * with (one column to external_id, no field twice, fields that exist), so
 * choosing it later never leads to a mapping that cannot start.
 */
export async function saveMapping(d: Db, user: MappingUser, { name, columns, formats }: SaveMappingInput, by?: AuditBy): Promise<SavedMapping> {
  const p = checkMapping(
    columns.map((c) => c.field),
    await loadCatalog(d.sql),
  );
  const details: ErrorDetail[] = [
    ...p.unknown.map((i) => ({ path: `columns[${i}].field`, message: `${columns[i].field} is not a field` })),
    ...p.repeated.map(([i, j]) => ({
      path: `columns[${i}].field`,
      message: `“${columns[i].column}” and “${columns[j].column}” both go to ${columns[i].field}`,
    })),
    ...(p.missingExternalId ? [{ path: "columns", message: "choose the column that holds external_id" }] : []),
  ];
  if (details.length) throw new AppError("invalid_payload", `The mapping cannot be saved: ${details[0].message}`, { details });

  const nameKey = mappingNameKey(name);
  if (await d.prisma.savedMapping.findUnique({ where: { nameKey }, select: { id: true } })) throw nameTaken(name);
  if ((await d.prisma.savedMapping.count()) >= MAX_SAVED_MAPPINGS) throw limitReached();
  const id = randomUUID();
  let row;
  try {
    row = await d.prisma.$transaction(async (tx) => {
      const created = await tx.savedMapping.create({
        data: { id, name, nameKey, columns: JSON.stringify(columns), formats: JSON.stringify(formats), createdById: user.id },
        select: ROW_SELECT,
      });
      await recordAudit(tx, { ...byOrSystem(by), action: "mapping_created", subjectType: "mapping", subject: id, detail: { name } });
      return created;
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw nameTaken(name);
    throw e;
  }
  // Saves racing past the count above: each counts again after its insert
  // and takes its own back if over, so at most MAX_SAVED_MAPPINGS stay.
  if ((await d.prisma.savedMapping.count()) > MAX_SAVED_MAPPINGS) {
    await d.prisma.savedMapping.deleteMany({ where: { id } });
    throw limitReached();
  }
  return toSavedMapping(row, user);
}
