// An endpoint's signing secret: whsec_ + base64 of 32 random bytes (the
// Standard Webhooks form), shown once, kept encrypted at rest. The key is
// derived from the auth secret (HKDF), so a copy of the database alone
// cannot sign as us; every instance shares BETTER_AUTH_SECRET already.
import "server-only";
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { authSecret } from "../auth/auth-secret";

const VERSION = "v1:";

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

function key(): Buffer {
  return Buffer.from(hkdfSync("sha256", authSecret(), "", "target-import webhook secrets", 32));
}

/** AES-256-GCM: v1:<base64 of iv, tag, ciphertext>. */
export function sealWebhookSecret(secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(), iv);
  const text = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  return VERSION + Buffer.concat([iv, cipher.getAuthTag(), text]).toString("base64");
}

export function openWebhookSecret(sealed: string): string {
  if (!sealed.startsWith(VERSION)) throw new Error("unknown webhook secret format");
  const raw = Buffer.from(sealed.slice(VERSION.length), "base64");
  const decipher = createDecipheriv("aes-256-gcm", key(), raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
}
