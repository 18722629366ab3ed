// Derives prisma/postgresql/schema.prisma from prisma/schema.prisma and
// generates both clients. Prisma's CLI would download a schema-engine binary
// it never uses for `generate`; /bin/true stands in for it (offline machines).
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";

const source = readFileSync("prisma/schema.prisma", "utf8");
const pg = source
  .replace('provider = "sqlite"', 'provider = "postgresql"')
  .replace('output   = "../lib/generated/sqlite"', 'output   = "../../lib/generated/pg"')
  .replace(/^\/\/ The one model definition[\s\S]*?Edit only this file\.\n/m,
    "// GENERATED from prisma/schema.prisma by scripts/prisma-generate.mjs. Do not edit.\n")
  // a line's PostgreSQL form, where the two differ: `@@index(…) // postgresql: @@index(…)`
  .replace(/^(\s*)@@[^\n]*?\/\/ postgresql: (@@[^\n]*)$/gm, "$1$2");
if (pg === source || !pg.includes('"postgresql"') || !pg.includes("lib/generated/pg")) {
  throw new Error("prisma-generate: could not derive the PostgreSQL schema");
}
mkdirSync("prisma/postgresql", { recursive: true });
writeFileSync("prisma/postgresql/schema.prisma", pg);

const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: "/bin/true", PRISMA_HIDE_UPDATE_MESSAGE: "1" };
for (const schema of ["prisma/schema.prisma", "prisma/postgresql/schema.prisma"]) {
  execFileSync(process.execPath, ["node_modules/prisma/build/index.js", "generate", "--schema", schema], {
    env,
    stdio: ["ignore", "ignore", "inherit"],
  });
}
