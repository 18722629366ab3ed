import "server-only";
import type { Dialect } from "./dialect";

/** Current time in epoch milliseconds from the database's clock. */
export function nowMsSql(dialect: Dialect): string {
  return dialect === "sqlite"
    ? "CAST(unixepoch('subsec') * 1000 AS INTEGER)"
    : "(extract(epoch from clock_timestamp()) * 1000)::bigint";
}

/**
 * Current time as a value for a DateTime column, from the database's clock
 * (UTC, in the text form Prisma's SQLite adapter stores).
 */
export function nowTimestampSql(dialect: Dialect): string {
  return dialect === "sqlite"
    ? "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
    : "(clock_timestamp() AT TIME ZONE 'UTC')::timestamp(3)";
}

/**
 * A time `days` before now (the app's clock) as a parameter for a DateTime
 * column: an ISO string compares with SQLite's UTC text and PostgreSQL's
 * timestamp(3) alike. For retention's cutoffs.
 */
export function daysAgoParam(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString();
}
