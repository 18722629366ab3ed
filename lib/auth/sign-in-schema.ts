// The sign-in form's fields, checked in the browser (react-hook-form) before
// better-auth checks the credentials on the server.
import { z } from "zod";

export const signInSchema = z.object({
  email: z.string().trim().min(1, "Enter your email address").pipe(z.email("Enter an email address, like name@example.org")),
  password: z.string().min(1, "Enter your password"),
});

export type SignInInput = z.input<typeof signInSchema>;
export type SignIn = z.output<typeof signInSchema>;

/** The error code of a 429 from the limit per email (lib/auth/sign-in-limit.ts); its message says how long to wait. */
export const TOO_MANY_FAILED_SIGN_INS = "TOO_MANY_FAILED_SIGN_INS";

/** Sign-in's second step: the code from the authenticator app, or one of the backup codes. */
export const signInCodeSchema = z.object({
  code: z
    .string()
    .transform((c) => c.replace(/\s+/g, ""))
    .pipe(z.string().regex(/^\d{6}$/, "Enter the 6 digits your app shows")),
});
export const signInBackupCodeSchema = z.object({ code: z.string().trim().min(1, "Enter one of your backup codes").max(100, "That is not a backup code") });
export type SignInCodeInput = z.input<typeof signInCodeSchema>;

/** better-auth's answer when the second step's challenge has expired or was used up: sign in again. */
export const RESTART_SIGN_IN_CODES = ["INVALID_TWO_FACTOR_COOKIE", "TOO_MANY_ATTEMPTS_REQUEST_NEW_CODE"];
