// The only place where errors become HTTP responses: the status comes from
// the one table of codes in lib/errors.ts.
import "server-only";
import { AppError, ERRORS } from "../errors";

export function errorResponse(err: unknown): Response {
  if (err instanceof AppError) {
    return Response.json(
      { error: { code: err.code, message: err.message, details: err.details, ...err.extra } },
      { status: ERRORS[err.code].status ?? 500 },
    );
  }
  console.error(err);
  return Response.json(
    { error: { code: "internal_error", message: ERRORS.internal_error.description, details: [] } },
    { status: 500 },
  );
}
