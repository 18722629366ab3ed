import type { Tx } from "./client";
import type { Dialect } from "./dialect";

/**
 * Opens a transaction's write side at once. SQLite: a write statement takes
 * the database's write lock now (waiting for it), so a later write cannot fail
 * with SQLITE_BUSY after reads. PostgreSQL: a transaction-scoped advisory lock
 * named `name`, so such transactions commit one after another.
 */
export async function lockForWrite(tx: Tx, dialect: Dialect, name: string): Promise<void> {
  if (dialect === "sqlite") {
    await tx.$executeRawUnsafe("UPDATE import_job SET seq = seq WHERE 0");
  } else {
    await tx.$queryRawUnsafe("SELECT pg_advisory_xact_lock(hashtext($1))::text AS locked", name);
  }
}
