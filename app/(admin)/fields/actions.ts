"use server";

import { revalidatePath } from "next/cache";
import { createCustomField, renameCustomField } from "@/lib/custom-fields/custom-fields";
import { db } from "@/lib/db/client";
import { staffAction } from "@/lib/http/staff-action";

// Admins own the field catalogue: staff see it, only admins add or rename.
export const createFieldAction = staffAction(
  async (_user, input: unknown) => {
    const field = await createCustomField(db(), input);
    revalidatePath("/fields");
    return field;
  },
  { role: "admin" },
);

export const renameFieldAction = staffAction(
  async (_user, input: unknown) => {
    const field = await renameCustomField(db(), input);
    revalidatePath("/fields");
    return field;
  },
  { role: "admin" },
);
