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
import { twoFactor } from "better-auth/plugins/two-factor";
import { z } from "zod";
import { db, type Db } from "../db/client";
import { env } from "../env";
import { recordAudit } from "../audit/record-audit";
import { requestAddress } from "../http/request-address";
import { auditRefusedSignIn, authAudit } from "./auth-audit";
import { authSecret } from "./auth-secret";
import { sessionCookiesSecure } from "./session-cookies";
import { deliverSetPasswordToken, SET_PASSWORD_LINK_SECONDS } from "./set-password-link";
import { SIGN_IN_FAILURE_LIMIT, signInLimit } from "./sign-in-limit";

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

/** better-auth on a database; the app's instances are on db() (below), tests make their own. */
export function createStaffAuth(d: Db, secureCookies: boolean) {
  const e = env();
  return betterAuth({
    appName: "Target import",
    // Unset: the address comes from each request (Host / X-Forwarded-Host and
    // X-Forwarded-Proto, which Next.js fills in when no proxy did), so the
    // app works at whatever address it is reached by.
    baseURL: e.BETTER_AUTH_URL,
    basePath: "/api/auth",
    secret: authSecret(),
    database: prismaAdapter(d.prisma, { provider: d.dialect === "sqlite" ? "sqlite" : "postgresql" }),
    user: {
      modelName: "staffUser",
      additionalFields: {
        // set by lib/ only (input: false): never from a request body
        mustChangePassword: { type: "boolean", required: false, defaultValue: false, input: false },
        lastSignInAt: { type: "date", required: false, input: false },
      },
    },
    session: {
      modelName: "staffSession",
      expiresIn: 60 * 60 * 24 * 7, // a week since the last use…
      updateAge: 60 * 60 * 24, // …renewed at most once a day
    },
    account: { modelName: "staffAccount" },
    // Set-password tokens are kept hashed: a copy of the database gives no usable link.
    verification: { modelName: "staffVerification", storeIdentifier: { default: "plain", overrides: { "reset-password": "hashed" } } },
    emailAndPassword: {
      enabled: true,
      // Nobody signs themselves up: admins (or the bootstrap, or
      // `npm run user:create`) create accounts.
      disableSignUp: true,
      minPasswordLength: 8,
      maxPasswordLength: 128,
      // Set-password links (a new account's, or an admin's reset): no email
      // is sent; lib/auth/set-password-link.ts hands the token to the admin
      // page, which shows the link once. Single use (better-auth deletes the
      // token when it is used), 24 h.
      resetPasswordTokenExpiresIn: SET_PASSWORD_LINK_SECONDS,
      sendResetPassword: async ({ user, token }) => deliverSetPasswordToken(user.email, token),
      revokeSessionsOnPasswordReset: true,
      // a password chosen through a link is the user's own: no change is required of them
      // and it is audited, the link's user as the actor
      onPasswordReset: async ({ user }, request) => {
        await d.prisma.$transaction(async (tx) => {
          await tx.staffUser.update({ where: { id: user.id }, data: { mustChangePassword: false } });
          await recordAudit(tx, {
            actor: { type: "staff", id: user.id, name: user.email },
            address: request ? requestAddress(request.headers) : null,
            action: "password_changed",
            subjectType: "account",
            subject: user.email,
            detail: { through: "set-password link" },
          });
        });
      },
    },
    // better-auth's limit per client address (its default for sign-in: 3
    // tries per 10 s, in memory per instance; on in production). The address
    // is X-Forwarded-For, which the front server (lib/http/front-server.ts)
    // always sets to the one client address it decided on (the peer, or what
    // a TRUSTED_PROXIES proxy says), so a client cannot choose its own
    // bucket. The limit per email (plugins, below) is in the database.
    advanced: {
      useSecureCookies: secureCookies,
      trustedProxyHeaders: !e.BETTER_AUTH_URL,
      ipAddress: { ipAddressHeaders: ["x-forwarded-for"] },
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
      // TOTP second factor with backup codes (issue 19); the secret and the
      // codes are stored encrypted with the auth secret.
      twoFactor({ issuer: "Target import", twoFactorTable: "staffTwoFactor" }),
      // 5 failed sign-ins (wrong password or code) for one email in 15
      // minutes → 429 for that email; each refusal is audited.
      signInLimit(SIGN_IN_FAILURE_LIMIT, auditRefusedSignIn(d)),
      // Sign-ins, sign-outs, ended sessions, password and two-factor changes
      // in the audit log; lastSignInAt. After the two plugins above, so it
      // sees their answers.
      authAudit(d),
      // Lets server actions and server components set and renew the session
      // cookie; must stay last.
      nextCookies(),
    ],
  });
}

export type Auth = ReturnType<typeof createStaffAuth>;

const globalForAuth = globalThis as unknown as { __staffAuth?: Map<boolean, Auth> };

function instance(secureCookies: boolean): Auth {
  const map = (globalForAuth.__staffAuth ??= new Map());
  let auth = map.get(secureCookies);
  if (!auth) {
    auth = createStaffAuth(db(), secureCookies);
    map.set(secureCookies, auth);
  }
  return auth;
}

const production = () => process.env.NODE_ENV === "production";

/**
 * Whether this request's session cookies are `Secure` (and named
 * `__Secure-…`): always in production unless BETTER_AUTH_URL starts with
 * http://; see lib/auth/session-cookies.ts.
 */
export function secureCookiesFor(headers: Headers): boolean {
  return sessionCookiesSecure({
    production: production(),
    betterAuthUrl: env().BETTER_AUTH_URL,
    forwardedProto: headers.get("x-forwarded-proto"),
  });
}

/** The better-auth instance for a request (cookie security follows its protocol). */
export function authFor(headers: Headers): Auth {
  return instance(secureCookiesFor(headers));
}

/** For work outside a request (bootstrap, scripts): no cookies are involved. */
export function authForServer(): Auth {
  return instance(sessionCookiesSecure({ production: production(), betterAuthUrl: env().BETTER_AUTH_URL }));
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
