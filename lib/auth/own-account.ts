// What a signed-in user does to their own account on /account, through
// better-auth's own endpoints (called with the request's headers, so they
// act on its session, set its cookies through nextCookies, and are audited
// by lib/auth/auth-audit.ts like any other call of them).
import "server-only";
import { isAPIError } from "better-auth/api";
import { AppError } from "../errors";
import { authFor } from "./better-auth";

/** better-auth's refusal of a wrong password or code, as the form's message beside that field; anything else as it is. */
function refusedAs(field: string, message: string, codes: string[]) {
  return (e: unknown): never => {
    const code = isAPIError(e) ? (e.body as { code?: string } | undefined)?.code : undefined;
    if (code && codes.includes(code)) throw new AppError("invalid_payload", message, { details: [{ path: field, message }] });
    throw e;
  };
}
const wrongPassword = (field: string) => refusedAs(field, "That is not your current password", ["INVALID_PASSWORD"]);

/** Changes the password (the current one is required) and signs out every other session; a required change is then done. */
export async function changeOwnPassword(h: Headers, input: { currentPassword: string; newPassword: string }): Promise<void> {
  await authFor(h)
    .api.changePassword({ headers: h, body: { ...input, revokeOtherSessions: true } })
    .catch(wrongPassword("currentPassword"));
}

export type TwoFactorSetup = { uri: string; secret: string; backupCodes: string[] };

/**
 * Begins two-factor setup: a new secret (as an otpauth:// URI for the QR
 * code, and as text) and its backup codes. Nothing changes at sign-in until
 * a code from the app confirms it (confirmTwoFactor).
 */
export async function beginTwoFactor(h: Headers, password: string): Promise<TwoFactorSetup> {
  const r = await authFor(h).api.enableTwoFactor({ headers: h, body: { password } }).catch(wrongPassword("password"));
  if (r.method !== "totp") throw new Error("better-auth enabled another two-factor method than TOTP");
  return { uri: r.totpURI, secret: new URL(r.totpURI).searchParams.get("secret") ?? "", backupCodes: r.backupCodes };
}

/** The first code from the app: two-factor sign-in is on from now. */
export async function confirmTwoFactor(h: Headers, code: string): Promise<void> {
  await authFor(h)
    .api.verifyTOTP({ headers: h, body: { code } })
    .catch(refusedAs("code", "That code is not right: check the app's clock, and enter the code it shows now", ["INVALID_CODE"]));
}

export async function turnOffTwoFactor(h: Headers, password: string): Promise<void> {
  await authFor(h).api.disableTwoFactor({ headers: h, body: { password } }).catch(wrongPassword("password"));
}
