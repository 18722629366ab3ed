// What the /staff page sends: one zod schema per action, shared by the forms
// and the server actions (lib/actions/staff.ts).
import { z } from "zod";
import type { StaffRole } from "../auth/better-auth";

// better-auth's roles (lib/auth/better-auth.ts is server-only; the forms use this file)
const ROLES = ["admin", "staff"] as const satisfies readonly StaffRole[];
export const staffRoleSchema = z.enum(ROLES, "must be admin or staff");

const email = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email("must be an email address").max(254, "must be at most 254 characters"));

/**
 * A new account: with a one-time set-password link (shown once), or with an
 * initial password the user must change at first sign-in.
 */
export const createStaffAccountSchema = z.discriminatedUnion("setPassword", [
  z.object({ email, role: staffRoleSchema, setPassword: z.literal("link") }),
  z.object({
    email,
    role: staffRoleSchema,
    setPassword: z.literal("initial"),
    password: z.string().min(8, "must be at least 8 characters").max(128, "must be at most 128 characters"),
  }),
]);
export type CreateStaffAccount = z.output<typeof createStaffAccountSchema>;
export type CreateStaffAccountInput = z.input<typeof createStaffAccountSchema>;

export const staffAccountIdSchema = z.object({ id: z.string().min(1).max(100) });
export type StaffAccountId = z.output<typeof staffAccountIdSchema>;

export const changeStaffRoleSchema = staffAccountIdSchema.extend({ role: staffRoleSchema });
export type ChangeStaffRole = z.output<typeof changeStaffRoleSchema>;

/** /set-password: the password chosen through a one-time link, typed twice. */
export const setPasswordSchema = z
  .object({
    password: z.string().min(8, "must be at least 8 characters").max(128, "must be at most 128 characters"),
    again: z.string(),
  })
  .refine((v) => v.password === v.again, { path: ["again"], message: "the two passwords differ" });
export type SetPassword = z.output<typeof setPasswordSchema>;
