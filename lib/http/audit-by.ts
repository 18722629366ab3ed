// Who is asking and from where, as the audit log records it: built at the
// edge (a server action, a route) and handed to the change in lib/.
import "server-only";
import { headers } from "next/headers";
import { apiActor, staffActor, type AuditBy } from "../audit/audit-actor";
import type { ApiCaller } from "../auth/api-tokens";
import { requestAddress } from "./request-address";

/** In a server action or a page: the signed-in staff user, from the request's address. */
export async function staffAuditBy(user: { id: string; email: string }): Promise<AuditBy> {
  return { actor: staffActor(user), address: requestAddress(await headers()) };
}

/** In a route: its staff user or API user, from the request's address. */
export function requestAuditBy(req: Request, who: { staff: { id: string; email: string } } | { api: ApiCaller }): AuditBy {
  return { actor: "staff" in who ? staffActor(who.staff) : apiActor(who.api), address: requestAddress(req.headers) };
}
