import "server-only";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import type { SavedMapping } from "./saved-mapping-schema";

/** Who is asking: any staff member may use a saved mapping; its author or an admin may change it. */
export type MappingUser = { id: string; role: "admin" | "staff" };

type Row = {
  id: string;
  name: string;
  columns: string;
  formats: string;
  createdById: string | null;
  createdBy: { name: string } | null;
  updatedAt: Date;
};

export const ROW_SELECT = {
  id: true,
  name: true,
  columns: true,
  formats: true,
  createdById: true,
  createdBy: { select: { name: true } },
  updatedAt: true,
} as const;

export const mayChange = (user: MappingUser, createdById: string | null) => user.role === "admin" || createdById === user.id;

export function toSavedMapping(row: Row, user: MappingUser): SavedMapping {
  return {
    id: row.id,
    name: row.name,
    columns: JSON.parse(row.columns),
    formats: JSON.parse(row.formats),
    createdBy: row.createdBy?.name ?? null,
    updatedAt: row.updatedAt.toISOString(),
    canChange: mayChange(user, row.createdById),
  };
}

export const nameTaken = (name: string) =>
  new AppError("already_exists", `A saved mapping is already called “${name}”: choose another name`);

/** The mapping, if the user may rename or delete it (not_found / forbidden otherwise). */
export async function findChangeable(d: Db, user: MappingUser, id: string) {
  const row = await d.prisma.savedMapping.findUnique({ where: { id }, select: { id: true, name: true, createdById: true } });
  if (!row) throw new AppError("not_found", "This saved mapping no longer exists");
  if (!mayChange(user, row.createdById)) {
    throw new AppError("forbidden", `Only the person who saved “${row.name}” or an admin can rename or delete it`);
  }
  return row;
}

export const isUniqueViolation = (e: unknown) => (e as { code?: string }).code === "P2002";
