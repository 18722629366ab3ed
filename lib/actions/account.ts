"use server";

// /account's actions: every signed-in staff user's, for their own account
// only, and reachable with a pending step (choosing a password, setting up
// two-factor), which they are how to finish.
import { revalidatePath } from "next/cache";
import { currentRequestHeaders } from "../auth/staff-session";
import { z } from "zod";
import { changePasswordSchema, confirmPasswordSchema, sessionIdSchema, totpCodeSchema } from "../auth/account-schema";
import { beginTwoFactor, changeOwnPassword, confirmTwoFactor, turnOffTwoFactor } from "../auth/own-account";
import { endOtherSessions, endOwnSession } from "../auth/own-sessions";
import { staffAction } from "../http/staff-action";

const mine = { allowPending: true };

export const changePasswordAction = staffAction(
  changePasswordSchema,
  async ({ currentPassword, newPassword }) => {
    await changeOwnPassword(await currentRequestHeaders(), { currentPassword, newPassword });
    revalidatePath("/account");
  },
  mine,
);

export const beginTwoFactorAction = staffAction(confirmPasswordSchema, async ({ password }) => beginTwoFactor(await currentRequestHeaders(), password), mine);

export const confirmTwoFactorAction = staffAction(
  totpCodeSchema,
  async ({ code }) => {
    await confirmTwoFactor(await currentRequestHeaders(), code);
  },
  mine,
);

export const turnOffTwoFactorAction = staffAction(
  confirmPasswordSchema,
  async ({ password }) => {
    await turnOffTwoFactor(await currentRequestHeaders(), password);
    revalidatePath("/account");
  },
  mine,
);

export const endSessionAction = staffAction(
  sessionIdSchema,
  async (id) => {
    await endOwnSession(await currentRequestHeaders(), id);
    revalidatePath("/account");
  },
  mine,
);

export const endOtherSessionsAction = staffAction(
  z.undefined(),
  async () => {
    await endOtherSessions(await currentRequestHeaders());
    revalidatePath("/account");
  },
  mine,
);
