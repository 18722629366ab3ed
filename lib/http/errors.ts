// The only place where errors become HTTP responses.
import { AppError, type ErrorCode } from "../errors";

const STATUS: Partial<Record<ErrorCode, number>> = {
  invalid_payload: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  idempotency_key_reused: 409,
  already_exists: 409,
  too_many_records: 413,
  payload_too_large: 413,
  unsupported_media_type: 415,
};

export function errorResponse(err: unknown): Response {
  if (err instanceof AppError) {
    return Response.json(
      { error: { code: err.code, message: err.message, details: err.details, ...err.extra } },
      { status: STATUS[err.code] ?? 500 },
    );
  }
  console.error(err);
  return Response.json(
    { error: { code: "internal_error", message: "Something went wrong on our side; nothing was stored", details: [] } },
    { status: 500 },
  );
}
