import { AppError } from "@/lib/errors";
import { withApiUser } from "@/lib/http/api-route";
import { readJsonBody } from "@/lib/http/read-json-body";
import { requestRevert } from "@/lib/imports/revert-import";

// No body (no Content-Type needed) or a JSON {}: nothing to choose.
export const POST = withApiUser<{ id: string }>(async ({ req, params, db, apiUserId }) => {
  if (req.headers.get("content-length") !== "0" && req.body) {
    const text = (await req.clone().text()).trim();
    if (text !== "") {
      const { value } = await readJsonBody(req, 1024);
      if (typeof value !== "object" || value === null || Array.isArray(value) || Object.keys(value).length > 0) {
        throw new AppError("invalid_payload", "An undo takes no options: send no body, or {}", { details: [{ path: "", message: "must be {}" }] });
      }
    }
  }
  const { id } = await requestRevert(db, params.id, { apiUserId });
  return Response.json({ deferred_result_id: id });
});
