// What the members page's controls hold, read from its URL and written back
// as URL parameters by lib/targets/member-query.ts, so the page, its data
// route and the export read one format. A link or a reload shows the same list.
import { FLAG_PARAM, FLAG_VALUES, MEMBER_SORTS, memberQueryParams, type MemberSort } from "@/lib/targets/member-query";
import { SUBSCRIPTION_KEYS, type SubscriptionKey } from "@/lib/fields";

export type FlagChoice = (typeof FLAG_VALUES)[number];
export type SortDir = "asc" | "desc";

export type MemberForm = {
  q: string;
  flags: Partial<Record<SubscriptionKey, FlagChoice>>;
  /** A custom field's slug ("" none), then its value (text) or range (float, date). */
  field: string;
  eq: string;
  min: string;
  max: string;
  /** An import's id: the members it wrote. */
  changedBy: string;
  sort: MemberSort;
  dir: SortDir;
  /** Only from the URL: the page size (the default unless asked for). */
  limit: number | undefined;
};

const oneOf = <T extends string>(options: readonly T[], v: string | null): T | undefined => options.find((o) => o === v);

/** The controls as the URL sets them; a value no control offers is left out. */
export function formFromParams(params: URLSearchParams): MemberForm {
  const flags: MemberForm["flags"] = {};
  for (const key of SUBSCRIPTION_KEYS) {
    const v = oneOf(FLAG_VALUES, params.get(FLAG_PARAM[key]));
    if (v) flags[key] = v;
  }
  const limit = Number(params.get("limit"));
  return {
    q: params.get("q") ?? "",
    flags,
    field: params.get("field") ?? "",
    eq: params.get("eq") ?? "",
    min: params.get("min") ?? "",
    max: params.get("max") ?? "",
    changedBy: params.get("import") ?? "",
    sort: oneOf(MEMBER_SORTS, params.get("sort")) ?? "external_id",
    dir: params.get("dir") === "desc" ? "desc" : "asc",
    limit: params.has("limit") && Number.isInteger(limit) ? limit : undefined,
  };
}

const given = (v: string) => (v === "" ? undefined : v);

/** The URL parameters of the controls; a custom field counts once it has a value. */
export function paramsOf(form: MemberForm): URLSearchParams {
  const hasValue = form.eq !== "" || form.min !== "" || form.max !== "";
  return memberQueryParams({
    q: given(form.q),
    flags: form.flags,
    custom: form.field && hasValue ? { slug: form.field, eq: given(form.eq), min: given(form.min), max: given(form.max) } : undefined,
    changedBy: given(form.changedBy),
    sort: form.sort,
    dir: form.dir,
    limit: form.limit,
  });
}

const withQuery = (path: string, params: URLSearchParams) => (params.size > 0 ? `${path}?${params}` : path);

/** The page's own address for these controls. */
export const pageHref = (form: MemberForm) => withQuery("/members", paramsOf(form));

/** The CSV of every member the controls find (no page size: all of them). */
export const exportHref = (form: MemberForm) => withQuery("/members.csv", paramsOf({ ...form, limit: undefined }));
