import { withApiUser } from "@/lib/http/api-route";
import { invalidPayload } from "@/lib/invalid-payload";
import { customSlugs, targetJson } from "@/lib/targets/get-target";
import { apiTargetListSchema, memberQuerySchema } from "@/lib/targets/member-query";
import { searchMembers } from "@/lib/targets/search-targets";

// GET /api/targets?q=&limit=&cursor= (contract: "Member search and export").
export const GET = withApiUser(async ({ req, db }) => {
  const url = new URL(req.url);
  const parsed = apiTargetListSchema.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) throw invalidPayload(parsed.error);
  const { format, ...list } = parsed.data;
  const query = memberQuerySchema.parse(list);
  const [page, slugs] = await Promise.all([searchMembers(db, query), customSlugs(db)]);
  const next = page.next === null ? null : `/api/targets?${new URLSearchParams({ ...(list.q ? { q: list.q } : {}), limit: String(query.limit), cursor: page.next })}`;
  void format;
  return Response.json({ targets: page.members.map((t) => targetJson(t, slugs)), next });
});
