// What an audit entry says (docs/decisions/028-audit-log.md): one zod
// schema for what lib/ records, what the /audit page filters on and what its
// CSV holds. An entry names a member only by number, and an import only by
// its job id: never member data or file contents.
import { z } from "zod";

export const AUDIT_ACTIONS = [
  // sign-in and sessions
  "sign_in",
  "sign_in_failed",
  "sign_out",
  "session_ended",
  // two-factor
  "two_factor_enabled",
  "two_factor_disabled",
  "two_factor_reset",
  "two_factor_backup_code_used",
  // imports and members
  "import_started",
  "dry_run_started",
  "preview",
  "undo",
  "import_cancelled",
  "member_erased",
  "members_exported",
  // configuration
  "token_created",
  "token_revoked",
  "webhook_created",
  "webhook_deleted",
  "field_created",
  "field_changed",
  "mapping_created",
  "mapping_renamed",
  "mapping_deleted",
  // accounts and settings
  "account_created",
  "account_role_changed",
  "account_disabled",
  "account_enabled",
  "account_deleted",
  "password_link_created",
  "password_changed",
  "setting_changed",
  "audit_exported",
] as const;
export const auditActionSchema = z.enum(AUDIT_ACTIONS);
export type AuditAction = z.infer<typeof auditActionSchema>;

export const AUDIT_SUBJECT_TYPES = ["job", "member", "account", "session", "token", "field", "mapping", "setting", "webhook"] as const;
export const auditSubjectTypeSchema = z.enum(AUDIT_SUBJECT_TYPES);

/** Who did it: a staff user (by email), an API user (by the token's name), or the service itself. */
export const auditActorSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("staff"), id: z.string().nullable(), name: z.string() }),
  z.object({ type: z.literal("api"), id: z.string(), name: z.string() }),
  z.object({ type: z.literal("system"), name: z.literal("system") }),
]);
export type AuditActor = z.infer<typeof auditActorSchema>;
export const SYSTEM_ACTOR: AuditActor = { type: "system", name: "system" };

/** What detail may hold: flat values only (a reason, a count, an export's filters), bounded. */
const detailValue = z.union([z.string().max(2_000), z.number(), z.boolean(), z.null()]);
export const auditDetailSchema = z.record(z.string().max(100), detailValue);

export const auditEventSchema = z.object({
  actor: auditActorSchema,
  /** the client's address (the front server's X-Forwarded-For), when there is a request */
  address: z.string().max(100).nullable().optional(),
  action: auditActionSchema,
  subjectType: auditSubjectTypeSchema.optional(),
  subject: z.string().max(1_000).optional(),
  detail: auditDetailSchema.optional(),
});
export type AuditEvent = z.input<typeof auditEventSchema>;
