import { rmSync } from "node:fs";

// The temp folder with the e2e database (playwright.config.ts).
export default function globalTeardown() {
  const dir = process.env.E2E_DATA_DIR;
  if (dir) rmSync(dir, { recursive: true, force: true });
}
