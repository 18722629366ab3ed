// Headers on every answer Next.js gives (pages, API, files), and
// Cache-Control on every one but its files. The pages'
// Content-Security-Policy, with its per-request nonce, comes from proxy.ts;
// the front server's own bulk-upsert answers set theirs in
// lib/http/front-server.ts. docs/security.md.
const EVERY_ANSWER = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "same-origin" },
  // for browsers without CSP frame-ancestors
  { key: "X-Frame-Options", value: "DENY" },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  allowedDevOrigins: ["127.0.0.1"],
  experimental: {
    // The REST body limit is enforced by lib/http/read-json-body.ts. Upload
    // pieces (~2 MB, at most 8 MiB) arrive at /imports/new/pieces; begin and
    // finish are server actions.
    serverActions: { bodySizeLimit: "8mb" },
    // forbidden(): an admin-only page answers a staff user 403 (app/(admin)/forbidden.tsx).
    authInterrupts: true,
  },
  typescript: { ignoreBuildErrors: false },
  async headers() {
    return [
      { source: "/:path*", headers: EVERY_ANSWER },
      // Members' data is in the API's answers, the admin pages, an import's
      // problems and its rejected rows: no browser or proxy may keep any of
      // it. Only Next.js's own files and the icons may be cached.
      { source: "/:path((?!_next/|favicon\\.ico$|icon\\.svg$).*)", headers: [{ key: "Cache-Control", value: "no-store" }] },
      // JSON and CSV: nothing in them is ever run, shown as a page or framed.
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" }] },
    ];
  },
};

export default nextConfig;
