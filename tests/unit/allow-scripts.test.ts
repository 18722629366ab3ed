// npm runs a dependency's install scripts only when package.json's
// allowScripts approves the package (and `npm ci --strict-allow-scripts`, as
// in .ci/run, refuses to install otherwise). The approved list must be
// exactly the packages in the lock file that have install scripts: a new one
// is reviewed before it may run anything, and a stale approval is dropped.
import { readFileSync } from "node:fs";
import { expect, test } from "vitest";

const json = (path: string) => JSON.parse(readFileSync(path, "utf8"));

test("allowScripts approves exactly the locked packages that have install scripts", () => {
  const lock = json("package-lock.json") as { packages: Record<string, { hasInstallScript?: boolean }> };
  const withScripts = Object.entries(lock.packages)
    .filter(([path, p]) => path !== "" && p.hasInstallScript)
    .map(([path]) => path.slice(path.lastIndexOf("node_modules/") + "node_modules/".length));
  const approved = json("package.json").allowScripts as Record<string, boolean>;
  expect(Object.keys(approved).sort()).toEqual([...new Set(withScripts)].sort());
  expect(Object.values(approved).every((v) => v === true)).toBe(true);
});
