"use server";

// /staff (admins only): each action reads its input with the form's schema,
// then changes the account in lib/staff as the signed-in admin, with this
// request's headers, so better-auth checks the admin's session as well.
import { headers } from "next/headers";
import { revalidatePath } from "next/cache";
import type { z } from "zod";
import type { StaffUser } from "../auth/staff-session";
import { db, type Db } from "../db/client";
import { staffAction } from "../http/staff-action";
import { changeStaffRole } from "../staff/change-staff-role";
import { createStaffAccount } from "../staff/create-staff-account";
import { deleteStaffAccount } from "../staff/delete-staff-account";
import { disableStaffAccount, enableStaffAccount } from "../staff/disable-staff-account";
import { resetStaffPassword } from "../staff/password-link";
import { resetTwoFactor } from "../staff/reset-two-factor";
import type { StaffCaller } from "../staff/staff-caller";
import { changeStaffRoleSchema, createStaffAccountSchema, staffAccountIdSchema } from "../staff/staff-schema";

function accountChange<S extends z.ZodType, T>(schema: S, change: (d: Db, caller: StaffCaller, input: z.output<S>) => Promise<T>) {
  return staffAction(
    schema,
    async (input, user: StaffUser) => {
      const result = await change(db(), { user, headers: await headers() }, input);
      revalidatePath("/staff");
      return result;
    },
    { role: "admin" },
  );
}

export const createStaffAccountAction = accountChange(createStaffAccountSchema, createStaffAccount);
export const changeStaffRoleAction = accountChange(changeStaffRoleSchema, changeStaffRole);
export const disableStaffAccountAction = accountChange(staffAccountIdSchema, disableStaffAccount);
export const enableStaffAccountAction = accountChange(staffAccountIdSchema, enableStaffAccount);
export const deleteStaffAccountAction = accountChange(staffAccountIdSchema, deleteStaffAccount);
export const resetStaffPasswordAction = accountChange(staffAccountIdSchema, resetStaffPassword);
export const resetTwoFactorAction = accountChange(staffAccountIdSchema, resetTwoFactor);
