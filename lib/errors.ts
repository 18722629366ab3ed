// The one error type of the domain layer. Route handlers and server actions
// map it to HTTP / form errors in one place (lib/http/errors.ts); the worker
// stores `code` and `message` on a failed job. The table below is the only
// list of codes: the HTTP mapping and the OpenAPI document are built from it.
export type ErrorDetail = { path: string; message: string };

type ErrorInfo = {
  /** HTTP status when a request fails with it; null for a job's failure. */
  status: number | null;
  description: string;
};

export const ERRORS = {
  // request problems
  invalid_payload: { status: 400, description: "The request's format is wrong; details name each bad place" },
  bad_request: { status: 400, description: "The HTTP request itself is ambiguous or malformed (the message says how); nothing of it was passed on" },
  unauthorized: { status: 401, description: "Missing, unknown or revoked bearer token" },
  forbidden: { status: 403, description: "Signed in, but not allowed to do this" },
  not_found: { status: 404, description: "No such thing, or it is not yours" },
  idempotency_key_reused: { status: 409, description: "The Idempotency-Key was used before with another body" },
  already_exists: { status: 409, description: "Something with this name already exists" },
  upload_changed: { status: 409, description: "This upload was begun with other settings; begin a new one" },
  limit_reached: { status: 409, description: "A limit on what may be stored was reached (the message says which)" },
  too_many_webhooks: { status: 409, description: "An API user may have at most 10 webhook endpoints; delete one first" },
  not_revertible: { status: 409, description: "This job cannot be undone (the message says why)" },
  not_cancellable: { status: 409, description: "This job cannot be cancelled: it has ended (ready or failed), or it is an undo" },
  too_many_records: { status: 413, description: "Over 1000 records in one request (`limit` says how many are allowed)" },
  payload_too_large: { status: 413, description: "The body is over the byte limit (`limit_bytes`)" },
  request_timeout: { status: 408, description: "The request's headers or body stopped arriving" },
  too_many_requests: { status: 429, description: "Too many requests at once from one address; retry after `Retry-After` seconds" },
  unsupported_media_type: { status: 415, description: "The body is not sent as JSON" },
  internal_error: { status: 500, description: "Something went wrong on our side; nothing was stored" },
  // job failures (status "failed")
  csv_unreachable: { status: null, description: "The CSV could not be downloaded" },
  csv_timeout: { status: null, description: "The CSV download took longer than the time limit" },
  csv_too_large: { status: null, description: "The CSV is larger than the size limit" },
  csv_refused_address: { status: null, description: "The CSV's address is private, loopback or link-local" },
  not_csv: { status: null, description: "The file is not a CSV we can read" },
  unknown_columns: { status: null, description: "Columns that are neither built-in nor custom fields" },
  missing_external_id_column: { status: null, description: "The CSV has no external_id column" },
  duplicate_columns: { status: null, description: "A column appears more than once" },
  too_many_attempts: { status: null, description: "The job stopped several times without finishing" },
} as const satisfies Record<string, ErrorInfo>;

export type ErrorCode = keyof typeof ERRORS;
export const ERROR_CODES = Object.keys(ERRORS) as ErrorCode[];
/** The codes a request can fail with, and those a job can fail with. */
export const HTTP_ERROR_CODES = ERROR_CODES.filter((c) => ERRORS[c].status !== null) as [ErrorCode, ...ErrorCode[]];
export const JOB_FAILURE_CODES = ERROR_CODES.filter((c) => ERRORS[c].status === null) as [ErrorCode, ...ErrorCode[]];

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
