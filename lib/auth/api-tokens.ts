import "server-only";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { byOrSystem, type AuditBy } from "../audit/audit-actor";
import { recordAudit } from "../audit/record-audit";
import type { Db } from "../db/client";
import { AppError } from "../errors";

// API tokens are random secrets, not passwords: a SHA-256 of the token is
// enough to store (no salt/slow hash needed for 256 random bits).
const TOKEN_PREFIX = "ti_";
const LAST_USED_RESOLUTION_MS = 60_000;

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function generateToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString("base64url");
}

/** Creates an API user with one token; the token is returned only here. `by`: who, for the audit log. */
export async function createApiUserWithToken(d: Db, name: string, by?: AuditBy): Promise<{ apiUserId: string; token: string }> {
  const token = generateToken();
  const apiUserId = randomUUID();
  const tokenId = randomUUID();
  await d.prisma.$transaction(async (tx) => {
    await tx.apiUser.create({
      data: { id: apiUserId, name, tokens: { create: [{ id: tokenId, tokenHash: hashToken(token), prefix: token.slice(0, 8) }] } },
    });
    await recordAudit(tx, { ...byOrSystem(by), action: "token_created", subjectType: "token", subject: tokenId, detail: { name } });
  });
  return { apiUserId, token };
}

/** An API user as a request names it: its name is what the audit log shows. */
export type ApiCaller = { id: string; name: string };

/**
 * The API user a bearer token belongs to, or null if unknown or revoked.
 * Every API request asks, so it runs on the raw connection (one indexed
 * read); "last used" is written at most once a minute per token.
 */
export async function authenticateToken(d: Db, token: string): Promise<ApiCaller | null> {
  const row = await d.sql.get<{ id: string; user_id: string; name: string; revoked: unknown; recent: unknown }>(
    `SELECT t.id, t.user_id, u.name, t.revoked_at IS NOT NULL AS revoked,
            (t.last_used_at IS NOT NULL AND t.last_used_at > ?) AS recent
       FROM api_token t JOIN api_user u ON u.id = t.user_id WHERE t.token_hash = ?`,
    // timestamps are UTC text in SQLite and timestamp(3) in PostgreSQL: an ISO string compares with both
    [new Date(Date.now() - LAST_USED_RESOLUTION_MS).toISOString(), hashToken(token)],
  );
  if (!row || truthy(row.revoked)) return null;
  if (!truthy(row.recent)) {
    await d.sql.run("UPDATE api_token SET last_used_at = ? WHERE id = ?", [new Date().toISOString(), row.id]);
  }
  return { id: row.user_id, name: row.name };
}

const truthy = (v: unknown) => v === true || v === 1 || v === 1n;

/** The API user of an Authorization header ("Bearer <token>"), or AppError unauthorized. */
export async function requireApiUser(d: Db, authorization: string | null): Promise<ApiCaller> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  const user = match ? await authenticateToken(d, match[1]) : null;
  if (!user) throw new AppError("unauthorized", "A valid API token is required: send Authorization: Bearer <token>");
  return user;
}

export type ApiTokenSummary = {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

/** Every token, newest first, without its secret (only its first characters). */
export async function listApiTokens(d: Db): Promise<ApiTokenSummary[]> {
  const rows = await d.prisma.apiToken.findMany({ orderBy: { createdAt: "desc" }, include: { user: { select: { name: true } } } });
  return rows.map((r) => ({
    id: r.id,
    name: r.user.name,
    prefix: r.prefix,
    createdAt: r.createdAt,
    lastUsedAt: r.lastUsedAt,
    revokedAt: r.revokedAt,
  }));
}

/** Revokes a token; it stops working at the next request. Audited once, when it is revoked. */
export async function revokeApiToken(d: Db, id: string, by?: AuditBy): Promise<void> {
  const n = await d.prisma.$transaction(async (tx) => {
    const { count } = await tx.apiToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
    const token = count === 1 ? await tx.apiToken.findUnique({ where: { id }, select: { user: { select: { name: true } } } }) : null;
    if (token) await recordAudit(tx, { ...byOrSystem(by), action: "token_revoked", subjectType: "token", subject: id, detail: { name: token.user.name } });
    return { count };
  });
  if (n.count === 0 && !(await d.prisma.apiToken.findUnique({ where: { id } }))) {
    throw new AppError("not_found", "No such token");
  }
}
