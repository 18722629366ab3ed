"use server";

import { revalidatePath } from "next/cache";
import { createTokenSchema, tokenIdSchema } from "../auth/api-token-schema";
import { createApiUserWithToken, revokeApiToken } from "../auth/api-tokens";
import { db } from "../db/client";
import { staffAction } from "../http/staff-action";

export const createTokenAction = staffAction(
  createTokenSchema,
  async ({ name }, user, by) => {
    const { token } = await createApiUserWithToken(db(), name, by);
    revalidatePath("/tokens");
    return { token };
  },
  { role: "admin" },
);

export const revokeTokenAction = staffAction(
  tokenIdSchema,
  async (id, user, by) => {
    await revokeApiToken(db(), id, by);
    revalidatePath("/tokens");
  },
  { role: "admin" },
);
