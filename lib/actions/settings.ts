"use server";

// The admin's settings page (/settings): admins only, each change audited.
import { revalidatePath } from "next/cache";
import { requireTwoFactorSchema } from "../auth/account-schema";
import { db } from "../db/client";
import { staffAction } from "../http/staff-action";
import { setRequireTwoFactor } from "../settings/change-setting";

export const requireTwoFactorAction = staffAction(
  requireTwoFactorSchema,
  async ({ requireTwoFactor }, user, by) => {
    const changed = await setRequireTwoFactor(db(), by, user, requireTwoFactor);
    revalidatePath("/settings");
    return { changed };
  },
  { role: "admin" },
);
