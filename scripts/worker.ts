// A worker process of its own: `npm run worker`. Any number may run beside
// the app instances against one PostgreSQL database.
import { db } from "../lib/db/client";
import { env } from "../lib/env";
import { migrate } from "../lib/db/migrate";
import { startWorker } from "../lib/queue/worker";

await migrate(env().DATABASE_URL);
const worker = startWorker(db());
console.error(`worker ${worker.id} started`);
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    void worker.stop().finally(() => process.exit(0));
  });
}
