"use server";

import { revalidatePath } from "next/cache";
import { createTokenSchema } from "@/lib/auth/api-token-schema";
import { createApiUserWithToken, revokeApiToken } from "@/lib/auth/api-tokens";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { staffAction } from "@/lib/http/staff-action";
import { zodDetails } from "@/lib/zod-details";

export const createTokenAction = staffAction(
  async (_user, input: unknown) => {
    const parsed = createTokenSchema.safeParse(input);
    if (!parsed.success) throw new AppError("invalid_payload", "The name is not valid", { details: zodDetails(parsed.error) });
    const { token } = await createApiUserWithToken(db(), parsed.data.name);
    revalidatePath("/tokens");
    return { token };
  },
  { role: "admin" },
);

export const revokeTokenAction = staffAction(
  async (_user, id: string) => {
    await revokeApiToken(db(), String(id));
    revalidatePath("/tokens");
  },
  { role: "admin" },
);
