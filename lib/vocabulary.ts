// The words of the domain, each a zod enum with the labels staff read. Every
// other module takes its strategies, sources, statuses and result codes from
// here, so a new value is added in one place.
import { z } from "zod";

export const conflictStrategySchema = z
  .enum(["reject", "ignore"])
  .describe("What to do with a record whose email or phone number belongs to another target");
export type ConflictStrategy = z.infer<typeof conflictStrategySchema>;
export const CONFLICT_STRATEGY_LABEL: Record<ConflictStrategy, string> = {
  reject: "Reject",
  ignore: "Ignore",
};

export const jobSourceSchema = z.enum(["records", "csv_url", "upload", "revert"]);
export type JobSource = z.infer<typeof jobSourceSchema>;
export const JOB_SOURCE_LABEL: Record<JobSource, string> = {
  records: "API (records)",
  csv_url: "API (CSV by URL)",
  upload: "Upload",
  revert: "Undo of an import",
};

/**
 * A job's life: `uploading` (an admin upload still receiving rows, not yet in
 * the merge order), `queued` (accepted, waiting its turn), `running` (held by
 * a worker), then `ready` or `failed`; or `cancelled`, only after a cancel
 * (what it merged undone, contract: "Cancel").
 */
export const jobStatusSchema = z.enum(["uploading", "queued", "running", "ready", "failed", "cancelled"]);
export type JobStatus = z.infer<typeof jobStatusSchema>;

/** What the API and the admin app show: a queued job is "running". */
export const publicStatusSchema = z.enum(["running", "ready", "failed", "cancelled"]);
export type PublicStatus = z.infer<typeof publicStatusSchema>;
export const PUBLIC_STATUS_LABEL: Record<PublicStatus, string> = { running: "Running", ready: "Ready", failed: "Failed", cancelled: "Cancelled" };

export function publicStatusOf(status: JobStatus): PublicStatus {
  return status === "ready" || status === "failed" || status === "cancelled" ? status : "running";
}

/** The job statuses a public status stands for (for filtering). */
export const STATUSES_OF: Record<PublicStatus, JobStatus[]> = {
  running: ["queued", "running"],
  ready: ["ready"],
  failed: ["failed"],
  cancelled: ["cancelled"],
};

/** Problems of one record's values (contract: "Records"). */
export const recordProblemCodeSchema = z.enum(["invalid_email", "invalid_phone_number", "unknown_field", "invalid_value"]);
export type RecordProblemCode = z.infer<typeof recordProblemCodeSchema>;

/** Every code of an entry in a job's result (changed_since: a revert left a target as it was). */
export const resultCodeSchema = z.enum([...recordProblemCodeSchema.options, "conflict", "conflict_ignored", "changed_since"]);
export type ResultCode = z.infer<typeof resultCodeSchema>;
export const RESULT_CODE_LABEL: Record<ResultCode, string> = {
  invalid_email: "Email address is not valid",
  invalid_phone_number: "Phone number is not valid",
  unknown_field: "Column is not a known field",
  invalid_value: "Value is not valid",
  conflict: "Email or phone already belongs to another member",
  conflict_ignored: "Imported, though the email or phone also belongs to another member",
  changed_since: "Left as it is: changed since that import",
};
