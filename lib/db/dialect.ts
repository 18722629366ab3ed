export type Dialect = "sqlite" | "postgresql";

export function dialectOf(url: string): Dialect {
  return url.startsWith("file:") ? "sqlite" : "postgresql";
}

/** better-sqlite3 takes a path; Prisma-style URLs are `file:<path>`. */
export function sqlitePath(url: string): string {
  return url.replace(/^file:/, "").replace(/\?.*$/, "");
}
