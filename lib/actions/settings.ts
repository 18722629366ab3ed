"use server";

// The admin's settings page (/settings): admins only, each change audited.
import { revalidatePath } from "next/cache";
import { requireTwoFactorSchema } from "../auth/account-schema";
import { staffActor } from "../audit/audit-actor";
import { db } from "../db/client";
import { requestAddress } from "../http/request-address";
import { staffAction } from "../http/staff-action";
import { changeSetting } from "../settings/change-setting";
import { headers } from "next/headers";

export const requireTwoFactorAction = staffAction(
  requireTwoFactorSchema,
  async ({ requireTwoFactor }, user) => {
    const by = { actor: staffActor(user), address: requestAddress(await headers()) };
    const changed = await changeSetting(db(), by, "requireTwoFactor", requireTwoFactor);
    revalidatePath("/settings");
    return { changed };
  },
  { role: "admin" },
);
