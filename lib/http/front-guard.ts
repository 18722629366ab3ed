// What the front server refuses before it reads a body or passes anything
// on (docs/security.md, "The front door"). Node's own parser (llhttp, strict)
// refuses with 400 before any of this runs: Transfer-Encoding beside
// Content-Length, two Content-Lengths, obs-fold, bare LF line ends, a
// Transfer-Encoding whose last coding is not chunked. These are the rest.
import "server-only";
import type http from "node:http";
import { MAX_PIECE_BODY_BYTES, PIECES_PATH } from "../upload/piece-limits";

/** better-auth's bodies (sign-in, sign-out, session) are a few hundred bytes. */
export const AUTH_MAX_BODY_BYTES = 8 * 1024;

/** Methods that carry no body in this app: one sent with a body is refused, never passed on. */
const BODYLESS = new Set(["GET", "HEAD", "DELETE", "OPTIONS"]);

/** Why the request's framing or target is refused (400), or null. */
export function framingProblem(req: http.IncomingMessage): string | null {
  const te = req.headers["transfer-encoding"];
  if (te !== undefined) {
    if (req.httpVersion === "1.0") return "Transfer-Encoding is not part of HTTP/1.0";
    if (te !== "chunked") return 'The only Transfer-Encoding accepted is exactly "chunked"';
  }
  const declared = req.headers["content-length"];
  if (BODYLESS.has(req.method ?? "") && (te !== undefined || (declared !== undefined && declared !== "0"))) {
    return `A ${req.method} request carries no body here`;
  }
  // origin-form only: a host in the request line (or "//host") must never steer an answer
  if (!/^\/(?!\/)/.test(req.url ?? "")) return "The request target must be a path starting with a single /";
  return null;
}

/** The most of a body the front reads or passes on for this path. */
export function bodyLimit(path: string, maxBodyBytes: number): number {
  if (path === "/api/auth" || path.startsWith("/api/auth/")) return AUTH_MAX_BODY_BYTES;
  if (path === PIECES_PATH) return MAX_PIECE_BODY_BYTES;
  return maxBodyBytes;
}

/** The declared Content-Length, or null for none (chunked, or no body). */
export function declaredLength(req: http.IncomingMessage): number | null {
  const v = req.headers["content-length"];
  return v === undefined ? null : Number(v); // llhttp has checked it is digits
}

/**
 * How many requests each client address has in flight to Next.js, capped: a
 * client holding many slow requests open takes its own share, not everyone's.
 */
export function clientSlots(maxPerClient: number): { take(ip: string): (() => void) | null } {
  const counts = new Map<string, number>();
  return {
    take(ip) {
      const n = counts.get(ip) ?? 0;
      if (n >= maxPerClient) return null;
      counts.set(ip, n + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (counts.get(ip) ?? 1) - 1;
        if (left === 0) counts.delete(ip);
        else counts.set(ip, left);
      };
    },
  };
}
