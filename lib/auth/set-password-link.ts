// One-time set-password links shown to an admin instead of emailed.
// better-auth makes the token in requestPasswordReset and hands it to
// emailAndPassword.sendResetPassword (lib/auth/better-auth.ts), which calls
// deliverSetPasswordToken; issueSetPasswordToken waits for it.
import "server-only";

export const SET_PASSWORD_LINK_SECONDS = 24 * 60 * 60;

// On globalThis: Next.js may load this module once per bundle (the server
// actions' and the auth route's), while better-auth is made once per process
// (lib/auth/better-auth.ts) and calls whichever copy it was made with.
const globalForLinks = globalThis as unknown as { __setPasswordWaiting?: Map<string, (token: string) => void> };
const waiting = (globalForLinks.__setPasswordWaiting ??= new Map());

export function deliverSetPasswordToken(email: string, token: string): void {
  const resolve = waiting.get(email.toLowerCase());
  if (resolve) {
    waiting.delete(email.toLowerCase());
    resolve(token);
  }
}

/**
 * Runs `request` (better-auth's requestPasswordReset for `email`) and
 * returns the token it made. One at a time per email in this process.
 */
export async function captureSetPasswordToken(email: string, request: () => Promise<unknown>): Promise<string> {
  const key = email.toLowerCase();
  if (waiting.has(key)) throw new Error("a set-password link for this account is being made");
  const token = new Promise<string>((resolve, reject) => {
    waiting.set(key, resolve);
    setTimeout(() => {
      if (waiting.get(key) === resolve) waiting.delete(key);
      reject(new Error("better-auth did not hand over the set-password token"));
    }, 10_000).unref();
  });
  try {
    await request();
  } catch (e) {
    waiting.delete(key);
    throw e;
  }
  return token;
}
