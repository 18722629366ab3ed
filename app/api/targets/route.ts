import { withApiUser } from "@/lib/http/api-route";
import { csvDownload, datedFileName } from "@/lib/http/csv-download";
import { invalidPayload } from "@/lib/invalid-payload";
import { singleParams } from "@/lib/query-params";
import { exportMembersCsv } from "@/lib/targets/export-members-csv";
import { customSlugs, targetJson } from "@/lib/targets/get-target";
import { apiTargetListSchema, memberQuerySchema } from "@/lib/targets/member-query";
import { searchMembers } from "@/lib/targets/search-targets";

/** format=csv sends every matching target: a page's size or place would be ignored, so asking for one is an error. */
const PAGING = ["cursor", "limit"] as const;

// GET /api/targets?q=&limit=&cursor= and ?format=csv&q= (contract: "Member search and export").
export const GET = withApiUser(async ({ req, db, by }) => {
  const url = new URL(req.url);
  const parsed = apiTargetListSchema.safeParse(singleParams(url.searchParams));
  if (!parsed.success) throw invalidPayload(parsed.error);
  const { format, ...list } = parsed.data;
  if (format === "csv") {
    const paging = PAGING.filter((p) => url.searchParams.has(p));
    if (paging.length > 0) throw invalidPayload(paging.map((p) => ({ path: [p], message: "pages the JSON list only; format=csv sends every matching target" })));
    return csvDownload(exportMembersCsv(db, memberQuerySchema.parse({ q: list.q }), by), datedFileName("targets"));
  }
  const query = memberQuerySchema.parse(list);
  const [page, slugs] = await Promise.all([searchMembers(db, query), customSlugs(db)]);
  const next = page.next === null ? null : `/api/targets?${new URLSearchParams({ ...(list.q ? { q: list.q } : {}), limit: String(query.limit), cursor: page.next })}`;
  return Response.json({ targets: page.members.map((t) => targetJson(t, slugs)), next });
});
