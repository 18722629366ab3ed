// The import engine in a process of its own: `npm run worker`, and what
// `npm start` runs beside the web server (scripts/start.mjs). Any number may
// run against one PostgreSQL database.
import { createDb } from "../lib/db/client";
import { env } from "../lib/env";
import { migrate } from "../lib/db/migrate";
import { FrontPressure } from "../lib/queue/front-pressure";
import { startWorker } from "../lib/queue/worker";

await migrate(env().DATABASE_URL);
// npm start passes on the front server's load reports: merging gives way to accepting
const pressure = new FrontPressure();
process.on("message", (m) => pressure.receive(m));
const worker = startWorker(createDb(env().DATABASE_URL, { role: "engine" }), { run: { giveWay: () => pressure.giveWay() } });
console.error(`worker ${worker.id} started`);
const stop = () => void worker.stop().finally(() => process.exit(0));
for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, stop);
// Started by npm start: stop when it goes, however it went (even SIGKILL).
process.once("disconnect", stop);
