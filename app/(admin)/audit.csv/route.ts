import { auditQueryFromParams, auditQuerySchema } from "@/lib/audit/audit-query";
import { exportAuditCsv } from "@/lib/audit/export-audit-csv";
import { AppError } from "@/lib/errors";
import { withStaffUser } from "@/lib/http/api-route";
import { csvDownload, datedFileName } from "@/lib/http/csv-download";
import { parseInput } from "@/lib/invalid-payload";

// "Download CSV" on /audit (admins only): every entry its filters find, newest
// first; the download is itself audited. no-store like every answer (next.config.js).
export const GET = withStaffUser(async ({ req, db, user, by }) => {
  if (user.role !== "admin") throw new AppError("forbidden", "Only an admin can read the audit log");
  const params = new URL(req.url).searchParams;
  params.delete("cursor"); // the file holds every entry found, not a page
  const query = parseInput(auditQuerySchema, auditQueryFromParams(params));
  return csvDownload(exportAuditCsv(db, query, by), datedFileName("audit-log"));
});
