// better-auth in an integration test: the instance runs on the test's
// database, and accounts sign in through its own endpoint to get the session
// headers an admin's request would carry.
import { authForServer } from "@/lib/auth/better-auth";
import type { Db } from "@/lib/db/client";

process.env.BETTER_AUTH_SECRET ??= "integration-test-secret-of-at-least-32-characters";

/** Points db() (and so better-auth, made anew) at `d`. */
export function authOnDb(d: Db): void {
  const g = globalThis as unknown as { __db?: Db; __staffAuth?: Map<boolean, unknown> };
  g.__db = d;
  g.__staffAuth = undefined;
}

/** Signs in through better-auth: the headers of a request with that session (cookie and client address). */
export async function sessionHeaders(email: string, password: string): Promise<Headers> {
  const address = "10.9.8.7";
  const { headers } = await authForServer().api.signInEmail({
    body: { email, password },
    headers: new Headers({ "x-forwarded-for": address }),
    returnHeaders: true,
  });
  const cookie = headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  if (!cookie) throw new Error(`signing in as ${email} gave no session cookie`);
  return new Headers({ cookie, "x-forwarded-for": address });
}

/** The session those headers carry (null once signed out, disabled, or ended). */
export async function sessionOf(headers: Headers) {
  return authForServer().api.getSession({ headers });
}
