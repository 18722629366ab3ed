// Creates a staff account for the admin web app (the first admin, or more):
//   npm run --silent user:create -- --email a@b.org --password '…' --role admin|staff [--name "A B"]
// Prints the new account's email and role on stdout.
import { parseArgs } from "node:util";
import { z } from "zod";
import { createStaffUser, staffUserInputSchema } from "../lib/auth/better-auth";
import { db } from "../lib/db/client";
import { migrate } from "../lib/db/migrate";
import { env } from "../lib/env";

const USAGE = "usage: npm run --silent user:create -- --email <email> --password <password> --role admin|staff [--name <name>]";

let values;
try {
  ({ values } = parseArgs({
    options: {
      email: { type: "string" },
      password: { type: "string" },
      role: { type: "string", default: "staff" },
      name: { type: "string" },
    },
  }));
} catch (e) {
  console.error(`${e instanceof Error ? e.message : String(e)}\n${USAGE}`);
  process.exit(2);
}
const input = staffUserInputSchema.safeParse(values);
if (!input.success) {
  for (const issue of input.error.issues) console.error(`--${issue.path.join(".")}: ${issue.message}`);
  console.error(USAGE);
  process.exit(2);
}

let code = 0;
try {
  await migrate(env().DATABASE_URL); // a fresh clone may not have started the app yet
  const user = await createStaffUser(input.data);
  process.stdout.write(`created ${user.role} ${user.email}\n`);
} catch (e) {
  const message = e instanceof z.ZodError ? z.prettifyError(e) : e instanceof Error ? e.message : String(e);
  console.error(`could not create the account: ${message}`);
  code = 1;
}
await db().prisma.$disconnect();
// The WASM migration engine keeps its pool open.
process.exit(code);
