import "server-only";
import { isIP } from "node:net";
import { z } from "zod";

/** An optional variable; set to the empty string counts as unset. */
function unsetIfEmpty<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (v === "" ? undefined : v), schema.optional());
}

function isAddressOrRange(entry: string): boolean {
  const [address, bits, extra] = entry.split("/");
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return /^\d{1,3}$/.test(bits) && n <= (family === 4 ? 32 : 128);
}

// Configuration, checked once at boot: a bad value stops the process with a
// message naming the variable instead of failing later mid-import.
const envSchema = z.object({
  DATABASE_URL: z
    .string()
    .default("file:./data/app.db")
    .refine((u) => u.startsWith("file:") || /^postgres(ql)?:\/\//.test(u), {
      message: "must be file:<path> (SQLite) or postgresql://… (PostgreSQL)",
    }),
  DEFAULT_PHONE_REGION: z
    .string()
    .regex(/^[A-Z]{2}$/, "must be a two-letter ISO country code such as GB")
    .default("GB"),
  CSV_URL_ALLOWED_HOSTS: z
    .string()
    .default("")
    .transform((s) => s.split(",").map((h) => h.trim().toLowerCase()).filter(Boolean)),
  CSV_FETCH_TIMEOUT_MS: z.coerce.number().int().positive().default(300_000),
  CSV_MAX_BYTES: z.coerce.number().int().positive().default(1024 * 1024 * 1024),
  MAX_BODY_BYTES: z.coerce.number().int().positive().default(10 * 1024 * 1024),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  // Proxies in front of the app whose X-Forwarded-For / -Proto are believed
  // (addresses or CIDR ranges, comma-separated). Anyone else's are ignored.
  TRUSTED_PROXIES: z
    .string()
    .default("")
    .transform((s) => s.split(",").map((h) => h.trim()).filter(Boolean))
    .refine((list) => list.every(isAddressOrRange), "must be IP addresses or CIDR ranges, comma-separated"),
  // Requests one client address may have in flight to the web app at once
  // (pages, server actions, uploads); past it, 429 (lib/http/front-guard.ts).
  MAX_REQUESTS_PER_CLIENT: z.coerce.number().int().min(1).max(100_000).default(64),
  WORKER_IN_APP: z
    .enum(["true", "false", "1", "0"])
    .default("true")
    .transform((v) => v === "true" || v === "1"),
  WORKER_POLL_MS: z.coerce.number().int().positive().default(250),
  JOB_LEASE_MS: z.coerce.number().int().positive().default(30_000),
  // Normaliser threads of the engine; unset: one fewer than the cores (at least 1). 0: none.
  ENGINE_THREADS: unsetIfEmpty(z.coerce.number().int().min(0).max(64)),
  // Days a finished job's rows and problems are kept (its counts stay).
  RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  // Days an audit log entry is kept (lib/audit).
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(1).max(36500).default(400),
  // Hours before an upload that was never finished is deleted.
  UPLOAD_EXPIRY_HOURS: z.coerce.number().int().min(1).max(720).default(6),
  // Records the engine merges in one transaction.
  ENGINE_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(1000),
  // Staff sign-in (lib/auth/better-auth.ts). Unset secret: one is generated
  // once and kept in data/auth-secret.
  BETTER_AUTH_SECRET: unsetIfEmpty(z.string().min(32, "must be at least 32 characters (openssl rand -base64 32)")),
  BETTER_AUTH_URL: unsetIfEmpty(
    z.url({ protocol: /^https?$/, error: "must be the app's public http(s):// address, e.g. https://imports.example.org" }),
  ),
  ADMIN_EMAIL: unsetIfEmpty(z.email("must be an email address")),
  ADMIN_PASSWORD: unsetIfEmpty(z.string().min(8, "must be at least 8 characters").max(128, "must be at most 128 characters")),
}).refine((e) => !e.ADMIN_EMAIL === !e.ADMIN_PASSWORD, {
  message: "set both ADMIN_EMAIL and ADMIN_PASSWORD, or neither",
  path: ["ADMIN_PASSWORD"],
});

export type Env = z.infer<typeof envSchema>;

let cached: Env | undefined;

export function env(): Env {
  if (!cached) {
    const parsed = envSchema.safeParse(process.env);
    if (!parsed.success) {
      const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
      throw new Error(`Invalid configuration:\n${lines.join("\n")}`);
    }
    cached = parsed.data;
  }
  return cached;
}
