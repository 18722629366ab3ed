// What /account's forms send (checked in the browser by react-hook-form and
// again by the server actions, lib/actions/account.ts), and the admin's
// two-factor setting (lib/actions/settings.ts).
import { z } from "zod";
import { signInCodeSchema } from "./sign-in-schema";

const password = z.string().min(1, "Enter your password");

export const changePasswordSchema = z
  .object({
    currentPassword: z.string().min(1, "Enter your current password"),
    newPassword: z.string().min(8, "Use at least 8 characters").max(128, "Use at most 128 characters"),
    repeatPassword: z.string(),
  })
  .refine((v) => v.repeatPassword === v.newPassword, { path: ["repeatPassword"], message: "Type the same new password twice" })
  .refine((v) => v.newPassword !== v.currentPassword, { path: ["newPassword"], message: "Choose a password other than your current one" });
export type ChangePasswordInput = z.input<typeof changePasswordSchema>;

/** Starting or turning off two-factor sign-in asks for the password again. */
export const confirmPasswordSchema = z.object({ password });
export type ConfirmPasswordInput = z.input<typeof confirmPasswordSchema>;

/** A code from an authenticator app: six digits (spaces as an app shows them are dropped); the same as at sign-in. */
export const totpCodeSchema = signInCodeSchema;
export type TotpCodeInput = z.input<typeof totpCodeSchema>;

export const sessionIdSchema = z.string().min(1).max(100);

export const requireTwoFactorSchema = z.object({ requireTwoFactor: z.boolean() });
export type RequireTwoFactorInput = z.input<typeof requireTwoFactorSchema>;
