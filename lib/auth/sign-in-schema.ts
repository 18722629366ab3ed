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
