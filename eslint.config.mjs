// ESLint (flat config), run by `npm test`: Next's rules, including React's
// rules of hooks and the accessibility rules of jsx-a11y, and TypeScript's.
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [".next/**", "node_modules/**", "lib/generated/**", "prisma/postgresql/**", "test-results/**", "playwright-report/**", "scratch/**", "bench/out/**", "next-env.d.ts"],
  },
  {
    // Playwright's fixtures take a `use` callback: not React's hook
    files: ["e2e/**"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
];

export default config;
