import { withStaffUser } from "@/lib/http/api-route";
import { findVisibleJob } from "@/lib/imports/deferred-result";
import { rejectedRowsCsv } from "@/lib/imports/rejected-rows-csv";

export const GET = withStaffUser<{ id: string }>(async ({ params, db }) => {
  await findVisibleJob(db, params.id, { staff: true }); // 404 before the download starts
  const lines = rejectedRowsCsv(db, params.id, { staff: true });
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await lines.next();
      if (done) controller.close();
      else controller.enqueue(encoder.encode(value));
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="rejected-rows-${params.id}.csv"`,
    },
  });
});
