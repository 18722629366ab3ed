// The front server (lib/http/front-server.ts), started by `npm start` on the
// public port, in front of `next start` on a loopback port (FRONT_NEXT_PORT).
import { env } from "../lib/env";
import { createFrontServer } from "../lib/http/front-server";
import { warmUpBulkUpsert } from "../lib/http/bulk-upsert-endpoint";
import { reportFrontLoad } from "../lib/queue/front-pressure";

const nextPort = Number(process.env.FRONT_NEXT_PORT);
const port = Number(process.env.FRONT_PORT ?? env().PORT);
const host = process.env.FRONT_HOST || undefined;
try {
  warmUpBulkUpsert();
} catch (e) {
  console.error(`front server: warm-up failed (${(e as Error).message}); starting cold`); // costs speed, not correctness
}
const server = createFrontServer({ nextPort, trustedProxies: env().TRUSTED_PROXIES });
server.listen(port, host, () => console.error(`front server on ${host ?? "*"}:${port}, app on 127.0.0.1:${nextPort}`));
const stop = () => server.close(() => process.exit(0));
for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, stop);
process.once("disconnect", () => process.exit(0));
// how busy this server is, for the engine beside it (npm start passes it on)
if (process.send) reportFrontLoad((m) => process.send?.(m));
