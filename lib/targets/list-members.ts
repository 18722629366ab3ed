// The members page's list: a page of the search as the flat rows its table
// shows, with the count, for the page's first render and its data route
// (app/(admin)/members) alike.
import "server-only";
import type { Db } from "../db/client";
import { SUBSCRIPTION_KEYS, type SubscriptionKey } from "../fields";
import { invalidPayload } from "../invalid-payload";
import { memberQueryFromParams, memberQuerySchema, type MemberQuery } from "./member-query";
import { listPage, type ListedMember } from "./search-targets";

export type MemberRow = {
  external_id: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  phone_number: string | null;
  /** null: not known */
  flags: Record<SubscriptionKey, boolean | null>;
  updated_at: string;
};

/** One page of the list: its rows, the next page's cursor (null: the last) and how many match (`more`: over COUNT_LIMIT). */
export type MemberList = { members: MemberRow[]; next: string | null; count: number; more: boolean };

const text = (v: unknown) => (typeof v === "string" ? v : null);

function memberRow(m: ListedMember): MemberRow {
  const flags = {} as Record<SubscriptionKey, boolean | null>;
  for (const k of SUBSCRIPTION_KEYS) flags[k] = typeof m.attrs[k] === "boolean" ? (m.attrs[k] as boolean) : null;
  return {
    external_id: m.externalId,
    first_name: text(m.attrs.first_name),
    last_name: text(m.attrs.last_name),
    email: text(m.attrs.email),
    phone_number: text(m.attrs.phone_number),
    flags,
    updated_at: m.updatedAt,
  };
}

export async function listMembers(d: Db, query: MemberQuery): Promise<MemberList> {
  const { page, count } = await listPage(d, query);
  return { members: page.members.map(memberRow), next: page.next, ...count };
}

/** The page's URL parameters as a query; bad ones: `invalid_payload` naming the first. */
export function memberQueryOf(params: URLSearchParams): MemberQuery {
  const parsed = memberQuerySchema.safeParse(memberQueryFromParams(params));
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0];
  throw invalidPayload(parsed.error, `This search cannot be run: ${first ? `${first.path.join(".")} ${first.message}` : "its parameters are not valid"}`);
}
