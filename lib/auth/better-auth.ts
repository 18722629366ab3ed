// Staff accounts: better-auth (email + password, database sessions) on our
// Prisma client, with its admin plugin for the role column (admin | staff).
// See docs/decisions/005-staff-auth.md. Pages and actions use
// lib/auth/staff-session.ts; this file is for the auth route, the bootstrap
// and scripts/user-create.ts.
import "server-only";
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { nextCookies } from "better-auth/next-js";
import { createAccessControl } from "better-auth/plugins/access";
import { admin } from "better-auth/plugins/admin";
import { defaultStatements } from "better-auth/plugins/admin/access";
import { z } from "zod";
import { db } from "../db/client";
import { env } from "../env";
import { authSecret } from "./auth-secret";

export const STAFF_ROLES = ["admin", "staff"] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

// What each role may do through better-auth's /admin endpoints: admins
// manage staff accounts (no impersonation); staff manage nothing.
const ac = createAccessControl(defaultStatements);
const roles = {
  admin: ac.newRole({
    user: ["create", "list", "set-role", "ban", "delete", "set-password", "set-email", "get", "update"],
    session: ["list", "revoke", "delete"],
  }),
  staff: ac.newRole({ user: [], session: [] }),
};

function createAuth(secureCookies: boolean) {
  const e = env();
  const d = db();
  return betterAuth({
    appName: "Target import",
    // Unset: the address comes from each request (Host / X-Forwarded-Host and
    // X-Forwarded-Proto, which Next.js fills in when no proxy did), so the
    // app works at whatever address it is reached by.
    baseURL: e.BETTER_AUTH_URL,
    basePath: "/api/auth",
    secret: authSecret(),
    database: prismaAdapter(d.prisma, { provider: d.dialect === "sqlite" ? "sqlite" : "postgresql" }),
    user: { modelName: "staffUser" },
    session: {
      modelName: "staffSession",
      expiresIn: 60 * 60 * 24 * 7, // a week since the last use…
      updateAge: 60 * 60 * 24, // …renewed at most once a day
    },
    account: { modelName: "staffAccount" },
    verification: { modelName: "staffVerification" },
    emailAndPassword: {
      enabled: true,
      // Nobody signs themselves up: admins (or the bootstrap, or
      // `npm run user:create`) create accounts.
      disableSignUp: true,
      minPasswordLength: 8,
      maxPasswordLength: 128,
    },
    advanced: {
      useSecureCookies: secureCookies,
      trustedProxyHeaders: !e.BETTER_AUTH_URL,
    },
    telemetry: { enabled: false },
    logger: {
      level: "warn",
      log(level, message, ...args) {
        // Expected here: without BETTER_AUTH_URL the address comes from the request.
        if (message.includes("Base URL is not set")) return;
        (level === "error" ? console.error : console.warn)(message, ...args);
      },
    },
    plugins: [
      admin({ ac, roles, defaultRole: "staff", adminRoles: ["admin"] }),
      // Lets server actions and server components set and renew the session
      // cookie; must stay last.
      nextCookies(),
    ],
  });
}

export type Auth = ReturnType<typeof createAuth>;

const globalForAuth = globalThis as unknown as { __staffAuth?: Map<boolean, Auth> };

function instance(secureCookies: boolean): Auth {
  const map = (globalForAuth.__staffAuth ??= new Map());
  let auth = map.get(secureCookies);
  if (!auth) {
    auth = createAuth(secureCookies);
    map.set(secureCookies, auth);
  }
  return auth;
}

/**
 * Whether the browser reached us over HTTPS: session cookies are then
 * `Secure` (and named `__Secure-…`). BETTER_AUTH_URL decides when set;
 * otherwise X-Forwarded-Proto, which a TLS-terminating proxy sets and Next.js
 * fills in from the connection when it is absent. A client that lies about it
 * only gets cookies its own browser will not send back.
 */
export function isHttpsRequest(headers: Headers): boolean {
  const url = env().BETTER_AUTH_URL;
  if (url) return url.startsWith("https:");
  const proto = headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  return proto === "https";
}

/** The better-auth instance for a request (cookie security follows its protocol). */
export function authFor(headers: Headers): Auth {
  return instance(isHttpsRequest(headers));
}

/** For work outside a request (bootstrap, scripts): no cookies are involved. */
export function authForServer(): Auth {
  return instance(env().BETTER_AUTH_URL?.startsWith("https:") ?? false);
}

export const staffUserInputSchema = z.object({
  email: z.email("must be an email address").transform((e) => e.trim().toLowerCase()),
  password: z.string().min(8, "must be at least 8 characters").max(128, "must be at most 128 characters"),
  role: z.enum(STAFF_ROLES, "must be admin or staff"),
  name: z.string().trim().max(200).optional(),
});
export type StaffUserInput = z.input<typeof staffUserInputSchema>;

/** Creates a staff account through better-auth (hashes the password, writes user + credential). */
export async function createStaffUser(input: StaffUserInput): Promise<{ id: string; email: string; role: StaffRole }> {
  const { email, password, role, name } = staffUserInputSchema.parse(input);
  const { user } = await authForServer().api.createUser({
    body: { email, password, name: name || email.split("@")[0] || email, role },
  });
  return { id: user.id, email: user.email, role };
}
