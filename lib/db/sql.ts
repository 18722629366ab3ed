import "server-only";
import type { Dialect } from "./dialect";

/** Writes queries with `?` placeholders; PostgreSQL gets `$1, $2, …`. */
export function placeholders(dialect: Dialect, sql: string): string {
  if (dialect === "sqlite") return sql;
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** `(?, ?, …)` n times, for IN lists. */
export function list(n: number): string {
  return `(${new Array(n).fill("?").join(", ")})`;
}

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

/** Splits an array into runs of at most `size`. */
export function chunked<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
