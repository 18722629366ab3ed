// Errors that mean "the database could not be reached or dropped the
// connection", as opposed to errors of the work itself.
import "server-only";
const CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024", "ECONNRESET", "ECONNREFUSED", "EPIPE", "57P01", "57P02", "57P03", "08006", "08003", "08001"]);
const TEXT =
  /connection (terminated|closed|lost|refused|reset|error)|terminating connection|server closed the connection|is not queryable|ECONNRESET|ECONNREFUSED|socket hang up|database is locked|SQLITE_BUSY/i;

export function isTransientDbError(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; depth++) {
    const o = e as { code?: unknown; message?: unknown; cause?: unknown; meta?: { driverAdapterError?: unknown } };
    if (typeof o.code === "string" && CODES.has(o.code)) return true;
    if (typeof o.message === "string" && TEXT.test(o.message)) return true;
    e = o.meta?.driverAdapterError ?? o.cause;
  }
  return false;
}
