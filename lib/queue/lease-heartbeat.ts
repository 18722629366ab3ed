import "server-only";
import type { SqlConn, SqlQuery } from "../db/sql-conn";

/**
 * Renews a lease three times per lease period until stopped, so a slow step
 * never loses it; a renewal that fails is left to the next one.
 */
export function leaseHeartbeat(conn: SqlConn, leaseMs: number, renew: (q: SqlQuery) => Promise<void>): () => void {
  const timer = setInterval(() => {
    conn.tx(renew).catch(() => {});
  }, Math.max(100, Math.floor(leaseMs / 3)));
  return () => clearInterval(timer);
}
