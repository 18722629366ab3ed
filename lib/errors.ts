// The one error type of the domain layer. Route handlers and server actions
// map it to HTTP / form errors in one place (lib/http/errors.ts); the worker
// stores `code` and `message` on a failed job.
export type ErrorDetail = { path: string; message: string };

export const ERROR_CODES = [
  // request problems
  "invalid_payload",
  "too_many_records",
  "payload_too_large",
  "unsupported_media_type",
  "unauthorized",
  "forbidden",
  "not_found",
  "idempotency_key_reused",
  "already_exists",
  // job failures (status "failed")
  "csv_unreachable",
  "csv_timeout",
  "csv_too_large",
  "csv_refused_address",
  "not_csv",
  "unknown_columns",
  "missing_external_id_column",
  "duplicate_columns",
  "too_many_attempts",
  "internal_error",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetail[];
  readonly extra: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, opts: { details?: ErrorDetail[]; extra?: Record<string, unknown> } = {}) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.details = opts.details ?? [];
    this.extra = opts.extra ?? {};
  }
}
