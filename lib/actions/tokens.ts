"use server";

import { revalidatePath } from "next/cache";
import { createTokenSchema, tokenIdSchema } from "../auth/api-token-schema";
import { createApiUserWithToken, revokeApiToken } from "../auth/api-tokens";
import { db } from "../db/client";
import { staffAuditBy } from "../http/audit-by";
import { staffAction } from "../http/staff-action";

export const createTokenAction = staffAction(
  createTokenSchema,
  async ({ name }, user) => {
    const { token } = await createApiUserWithToken(db(), name, await staffAuditBy(user));
    revalidatePath("/tokens");
    return { token };
  },
  { role: "admin" },
);

export const revokeTokenAction = staffAction(
  tokenIdSchema,
  async (id, user) => {
    await revokeApiToken(db(), id, await staffAuditBy(user));
    revalidatePath("/tokens");
  },
  { role: "admin" },
);
