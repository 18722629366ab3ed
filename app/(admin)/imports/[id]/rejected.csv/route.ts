import { withStaffUser } from "@/lib/http/api-route";
import { csvDownload } from "@/lib/http/csv-download";
import { rejectedRowsCsv } from "@/lib/imports/rejected-rows-csv";

// The generator finds the job (404 for an unknown one) before its first text,
// which csvDownload reads before the answer starts.
export const GET = withStaffUser<{ id: string }>(async ({ params, db }) =>
  csvDownload(rejectedRowsCsv(db, params.id, { staff: true }), `rejected-rows-${params.id}.csv`),
);
