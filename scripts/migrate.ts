import { env } from "../lib/env";
import { migrate } from "../lib/db/migrate";

const t0 = performance.now();
const applied = await migrate(env().DATABASE_URL);
if (applied.length) console.error(`migrate: applied ${applied.join(", ")}`);
if (process.env.MIGRATE_VERBOSE) console.error(`migrate: ${Math.round(performance.now() - t0)} ms`);
// The WASM engine keeps its pool open; nothing else is left to do.
process.exit(0);
