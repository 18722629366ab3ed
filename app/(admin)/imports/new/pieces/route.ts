import { AppError } from "@/lib/errors";
import { withStaffUser } from "@/lib/http/api-route";
import { readJsonBody } from "@/lib/http/read-json-body";
import { appendUploadChunk } from "@/lib/imports/upload-import";
import { appendUploadSchema } from "@/lib/imports/upload-schema";
import { parseInput } from "@/lib/invalid-payload";
import { MAX_PIECE_BODY_BYTES } from "@/lib/upload/piece-limits";

// One piece of an admin upload's rows: {uploadId, no, rows} (appendUploadSchema).
// The wizard sends its pieces here (components/upload/use-upload.ts) rather
// than through the server action because Next.js runs a page's server
// actions one at a time, and the wizard keeps several pieces in flight.
// Begin and finish stay server actions. Answers: 200 {"ok": true}, or the
// usual {"error": {...}} with its status.
export const POST = withStaffUser(async ({ req, db, user }) => {
  // The app's own pages only. Server actions check the origin themselves;
  // here the browser's Sec-Fetch-Site says where the request comes from (a
  // cross-site JSON POST would also need a CORS preflight, never answered).
  const site = req.headers.get("sec-fetch-site");
  if (site && site !== "same-origin") throw new AppError("forbidden", "Upload pieces are accepted from this app's own pages only");
  const { value } = await readJsonBody(req, MAX_PIECE_BODY_BYTES);
  await appendUploadChunk(db, user.id, parseInput(appendUploadSchema, value));
  return Response.json({ ok: true });
});
