// Prints a new API token (for a new API user) on stdout and nothing else:
//   npm run --silent token:create -- --name <name>
import { parseArgs } from "node:util";
import { createApiUserWithToken } from "../lib/auth/api-tokens";
import { db } from "../lib/db/client";
import { migrate } from "../lib/db/migrate";
import { env } from "../lib/env";

const { values } = parseArgs({ options: { name: { type: "string" } } });
const name = values.name?.trim();
if (!name) {
  console.error("usage: npm run --silent token:create -- --name <name>");
  process.exit(2);
}
await migrate(env().DATABASE_URL); // a fresh clone may not have started the app yet
const { token } = await createApiUserWithToken(db(), name);
process.stdout.write(token + "\n");
await db().prisma.$disconnect();
