// The only place where errors become HTTP responses: the status comes from
// the one table of codes in lib/errors.ts.
import "server-only";
import { AppError, ERRORS } from "../errors";

/** An error as the API answers it: its status and the contract's error body. */
export function errorBody(err: unknown): { status: number; body: unknown } {
  if (err instanceof AppError) {
    return {
      status: ERRORS[err.code].status ?? 500,
      body: { error: { code: err.code, message: err.message, details: err.details, ...err.extra } },
    };
  }
  console.error(err);
  return { status: 500, body: { error: { code: "internal_error", message: ERRORS.internal_error.description, details: [] } } };
}

export function errorResponse(err: unknown): Response {
  const { status, body } = errorBody(err);
  return Response.json(body, { status });
}
