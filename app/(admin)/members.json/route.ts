import { withStaffUser } from "@/lib/http/api-route";
import { listMembers, memberQueryOf } from "@/lib/targets/list-members";

// The members page's list as the user types and pages (react-query): any
// staff user; a page of at most 100 rows and the count.
export const GET = withStaffUser(async ({ req, db }) => Response.json(await listMembers(db, memberQueryOf(new URL(req.url).searchParams))));
