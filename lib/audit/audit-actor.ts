// The actor of an entry, from who is asking.
import type { AuditActor } from "./audit-entry";

export const staffActor = (user: { id: string; email: string }): AuditActor => ({ type: "staff", id: user.id, name: user.email });

/** An API user acts under one of its tokens: the entry shows the token's name (the API user's name). */
export const apiActor = (apiUser: { id: string; name: string }): AuditActor => ({ type: "api", id: apiUser.id, name: apiUser.name });
