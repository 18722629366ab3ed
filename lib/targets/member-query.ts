// What a members search asks for, as one zod schema for the members page,
// its export and the API (decision 025), and how it is written in a URL.
// Pure: the page builds its URLs with it.
import { z } from "zod";
import { SUBSCRIPTION_KEYS, type SubscriptionKey } from "../fields";
import { storableString } from "../storable-text";

export const MAX_QUERY_LENGTH = 100;
export const MAX_PAGE = 100;
export const DEFAULT_PAGE = 50;
/** Counted exactly up to this many; beyond it the list says "10,000+". */
export const COUNT_LIMIT = 10_000;

export const MEMBER_SORTS = ["external_id", "name", "updated_at"] as const;
export type MemberSort = (typeof MEMBER_SORTS)[number];
export const FLAG_VALUES = ["yes", "no", "unknown"] as const;

/** The URL parameter of each flag filter: `email=yes`. */
export const FLAG_PARAM: Readonly<Record<SubscriptionKey, string>> = {
  subscription_email: "email",
  subscription_sms: "sms",
  subscription_phone: "phone",
  subscription_whatsapp: "whatsapp",
};

const boundedText = (label: string) => storableString().max(MAX_QUERY_LENGTH, `${label} is longer than ${MAX_QUERY_LENGTH} characters`);

const customFilterSchema = z
  .object({
    slug: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, "not a custom field"),
    /** Text: the value itself. */
    eq: boundedText("the value").optional(),
    /** Float and date: the range's ends, either may be left open. */
    min: boundedText("the lower end").optional(),
    max: boundedText("the upper end").optional(),
  })
  .refine((f) => f.eq !== undefined || f.min !== undefined || f.max !== undefined, "give a value or a range");

export const memberQuerySchema = z.object({
  q: boundedText("the search").optional(),
  flags: z.partialRecord(z.enum(SUBSCRIPTION_KEYS as [SubscriptionKey, ...SubscriptionKey[]]), z.enum(FLAG_VALUES)).default({}),
  custom: customFilterSchema.optional(),
  /** Members a real import or undo wrote (created or changed). */
  changedBy: z.string().max(64).optional(),
  sort: z.enum(MEMBER_SORTS).default("external_id"),
  dir: z.enum(["asc", "desc"]).default("asc"),
  cursor: z.string().max(2_000).optional(),
  limit: z.coerce.number<string | number>().int("must be a whole number").min(1).max(MAX_PAGE).default(DEFAULT_PAGE),
});

export type MemberQuery = z.infer<typeof memberQuerySchema>;
export type MemberQueryInput = z.input<typeof memberQuerySchema>;

const blankToUndefined = (v: string | null) => (v === null || v === "" ? undefined : v);

/** The members page's and export's URL parameters as a query (not yet checked). */
export function memberQueryFromParams(params: URLSearchParams): Record<string, unknown> {
  const flags: Record<string, string> = {};
  for (const key of SUBSCRIPTION_KEYS) {
    const v = blankToUndefined(params.get(FLAG_PARAM[key]));
    if (v !== undefined) flags[key] = v;
  }
  const slug = blankToUndefined(params.get("field"));
  return {
    q: blankToUndefined(params.get("q")),
    flags,
    custom: slug
      ? { slug, eq: blankToUndefined(params.get("eq")), min: blankToUndefined(params.get("min")), max: blankToUndefined(params.get("max")) }
      : undefined,
    changedBy: blankToUndefined(params.get("import")),
    sort: blankToUndefined(params.get("sort")),
    dir: blankToUndefined(params.get("dir")),
    cursor: blankToUndefined(params.get("cursor")),
    limit: blankToUndefined(params.get("limit")),
  };
}

/** The inverse: a query's URL parameters, defaults left out. */
export function memberQueryParams(query: Partial<MemberQuery>): URLSearchParams {
  const out = new URLSearchParams();
  if (query.q) out.set("q", query.q);
  for (const key of SUBSCRIPTION_KEYS) {
    const v = query.flags?.[key];
    if (v) out.set(FLAG_PARAM[key], v);
  }
  if (query.custom) {
    out.set("field", query.custom.slug);
    for (const k of ["eq", "min", "max"] as const) if (query.custom[k] !== undefined) out.set(k, query.custom[k]!);
  }
  if (query.changedBy) out.set("import", query.changedBy);
  if (query.sort && query.sort !== "external_id") out.set("sort", query.sort);
  if (query.dir && query.dir !== "asc") out.set("dir", query.dir);
  if (query.cursor) out.set("cursor", query.cursor);
  if (query.limit && query.limit !== DEFAULT_PAGE) out.set("limit", String(query.limit));
  return out;
}

/** The API's own parameters (contract: "Member search and export"); any other is refused. */
export const apiTargetListSchema = z
  .object({
    q: boundedText("q").optional(),
    limit: memberQuerySchema.shape.limit,
    cursor: memberQuerySchema.shape.cursor,
    format: z.enum(["json", "csv"]).default("json"),
  })
  .strict();
