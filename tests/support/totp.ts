// The code an authenticator app would show now, for the secret of an
// otpauth:// URI or as shown beside the QR code (base32), by better-auth's
// own TOTP helper (RFC 6238, 6 digits, 30 s), as the app the user scans into.
import { base32 } from "@better-auth/utils/base32";
import { createOTP } from "@better-auth/utils/otp";

export function totpSecret(uriOrSecret: string): string {
  return uriOrSecret.startsWith("otpauth:") ? new URL(uriOrSecret).searchParams.get("secret")! : uriOrSecret.replace(/\s+/g, "");
}

export async function totpCode(uriOrSecret: string): Promise<string> {
  const key = new TextDecoder().decode(base32.decode(totpSecret(uriOrSecret).toUpperCase()));
  return createOTP(key).totp();
}
