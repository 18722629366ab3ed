// ESLint (flat config), run by `npm test`: Next's rules, including React's
// rules of hooks and the accessibility rules of jsx-a11y, and TypeScript's.
import { readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

// The layers (docs/decisions/023): imports only go down, app → components →
// lib. lib/ never imports app/ or components/, and components/ imports only
// browser-safe lib/: a module that declares `import "server-only"` is the
// server's (its type exports are still free to use). A "use server" module
// (lib/actions) is a server action: the browser gets a reference to it.
const ROOT = import.meta.dirname;
const UP_THE_LAYERS = { regex: "^(@/|(\\.\\./)+)(app|components)(/|$)", message: "lib/ never imports app/ or components/ (imports only go down the layers)" };

function moduleFile(from, source) {
  const base = source.startsWith("@/") ? join(ROOT, source.slice(2)) : source.startsWith(".") ? resolve(dirname(from), source) : null;
  if (!base) return null;
  return [base, `${base}.ts`, `${base}.tsx`, join(base, "index.ts")].find((f) => statSync(f, { throwIfNoEntry: false })?.isFile()) ?? null;
}

function isServerOnly(file) {
  const text = readFileSync(file, "utf8");
  return /^\s*import\s+["']server-only["']/m.test(text) && !/^\s*["']use server["']/.test(text);
}

const browserSafe = {
  meta: { type: "problem", schema: [], messages: { serverOnly: "{{source}} is server-only: components/ may import only its types" } },
  create(context) {
    const check = (node) => {
      if (node.importKind === "type" || node.exportKind === "type" || !node.source) return;
      if (node.specifiers?.length > 0 && node.specifiers.every((s) => s.importKind === "type" || s.exportKind === "type")) return;
      const file = moduleFile(context.filename, node.source.value);
      if (file && file.startsWith(join(ROOT, "lib")) && isServerOnly(file)) {
        context.report({ node, messageId: "serverOnly", data: { source: node.source.value } });
      }
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check };
  },
};

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [".next/**", "node_modules/**", "lib/generated/**", "prisma/postgresql/**", "test-results/**", "playwright-report/**", "scratch/**", "bench/out/**", "next-env.d.ts"],
  },
  {
    files: ["lib/**"],
    rules: { "no-restricted-imports": ["error", { patterns: [UP_THE_LAYERS] }] },
  },
  {
    files: ["components/**"],
    plugins: { layers: { rules: { "browser-safe": browserSafe } } },
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ regex: "^(@/|(\\.\\./)+)app(/|$)", message: "components/ never import app/ (imports only go down the layers)" }] }],
      "layers/browser-safe": "error",
    },
  },
  {
    // Playwright's fixtures take a `use` callback: not React's hook
    files: ["e2e/**"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
];

export default config;
