// How our scripts run, as package.json's scripts run them: its config.nodeTs,
// which they use as $npm_package_config_nodeTs and scripts/start.mjs reads
// too. TypeScript from source through tsx; the react-server condition, so
// that lib/'s modules marked server-only load; wasm modules for Prisma's
// schema engine (lib/db/migrate.ts).
import { readFileSync } from "node:fs";

const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { config: { nodeTs: string } };

export const NODE_TS: string[] = pkg.config.nodeTs.split(" ");
