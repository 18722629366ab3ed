// The actor of an entry, from who is asking.
import { SYSTEM_ACTOR, type AuditActor } from "./audit-entry";

export const staffActor = (user: { id: string; email: string }): AuditActor => ({ type: "staff", id: user.id, name: user.email });

/** An API user acts under one of its tokens: the entry shows the token's name (the API user's name). */
export const apiActor = (apiUser: { id: string; name: string }): AuditActor => ({ type: "api", id: apiUser.id, name: apiUser.name });

/** Who acts and from which address: what an edge hands the change it audits. */
export type AuditBy = { actor: AuditActor; address: string | null };

/** An entry's actor and address; a change made without a request (a script, a test) is the service's own. */
export const byOrSystem = (by?: AuditBy): AuditBy => by ?? { actor: SYSTEM_ACTOR, address: null };
