import { withStaffUser } from "@/lib/http/api-route";
import { csvDownload, datedFileName } from "@/lib/http/csv-download";
import { parseInput } from "@/lib/invalid-payload";
import { exportMembersCsv } from "@/lib/targets/export-members-csv";
import { memberQueryFromParams, memberQuerySchema } from "@/lib/targets/member-query";

// "Export CSV" on /members: every member the list's search and filters find,
// in its order, for any signed-in staff user. The list links here with its own
// parameters; its page (cursor, limit) does not narrow the file.
export const GET = withStaffUser(async ({ req, db, by }) => {
  const query = parseInput(memberQuerySchema, memberQueryFromParams(new URL(req.url).searchParams));
  return csvDownload(exportMembersCsv(db, query, by), datedFileName("members"));
});
