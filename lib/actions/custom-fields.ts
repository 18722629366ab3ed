"use server";

import { revalidatePath } from "next/cache";
import type { z } from "zod";
import { createCustomFieldSchema, renameCustomFieldSchema, setFilterableSchema, type CustomField } from "../custom-fields/custom-field-schema";
import { createCustomField, renameCustomField } from "../custom-fields/custom-fields";
import { setFilterable } from "../custom-fields/filter-indexes";
import { db, type Db } from "../db/client";
import type { AuditBy } from "../audit/audit-actor";
import { staffAction } from "../http/staff-action";

// Admins own the field catalogue: staff see it, only admins add or rename.
// A change made on /fields shows there at once.
function catalogueChange<S extends z.ZodType>(schema: S, change: (d: Db, input: z.output<S>, by: AuditBy) => Promise<CustomField>) {
  return staffAction(
    schema,
    async (input, user, by) => {
      const field = await change(db(), input, by);
      revalidatePath("/fields");
      return field;
    },
    { role: "admin" },
  );
}

export const createFieldAction = catalogueChange(createCustomFieldSchema, createCustomField);
export const renameFieldAction = catalogueChange(renameCustomFieldSchema, renameCustomField);

// The wizard's "New custom field…": the same, without refreshing the wizard's page.
export const createCustomFieldAction = staffAction(
  createCustomFieldSchema,
  async (input, user, by) => createCustomField(db(), input, by),
  { role: "admin" },
);

// Admins choose which fields members can be filtered by quickly (decision 027): the engine builds the index.
export const setFilterableAction = staffAction(
  setFilterableSchema,
  async ({ slug, filterable }, user, by) => {
    const state = await setFilterable(db(), slug, filterable, by);
    revalidatePath("/fields");
    return state;
  },
  { role: "admin" },
);
