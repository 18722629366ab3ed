// A user's own sessions on /account: listed without their tokens (only the
// server ever holds those), ended one at a time by id or all but this one,
// through better-auth (audited by lib/auth/auth-audit.ts).
import "server-only";
import { AppError } from "../errors";
import { authFor } from "./better-auth";
import { deviceName } from "./device-name";

export type OwnSession = { id: string; device: string; address: string | null; lastSeen: Date; current: boolean };

export async function listOwnSessions(h: Headers): Promise<OwnSession[]> {
  const auth = authFor(h);
  const [sessions, current] = await Promise.all([auth.api.listSessions({ headers: h }), auth.api.getSession({ headers: h })]);
  return sessions
    .map((s) => ({
      id: s.id,
      device: deviceName(s.userAgent),
      address: s.ipAddress || null,
      // better-auth renews a session at most once a day (updateAge): "last seen" is that day
      lastSeen: new Date(s.updatedAt),
      current: s.id === current?.session.id,
    }))
    .sort((a, b) => Number(b.current) - Number(a.current) || b.lastSeen.getTime() - a.lastSeen.getTime());
}

/** Signs one of the user's own sessions out (another user's, or one already gone, is not found). */
export async function endOwnSession(h: Headers, id: string): Promise<void> {
  const auth = authFor(h);
  const session = (await auth.api.listSessions({ headers: h })).find((s) => s.id === id);
  if (!session) throw new AppError("not_found", "That session has already ended");
  await auth.api.revokeSession({ headers: h, body: { token: session.token } });
}

export async function endOtherSessions(h: Headers): Promise<void> {
  await authFor(h).api.revokeOtherSessions({ headers: h });
}
