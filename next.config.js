/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  allowedDevOrigins: ["127.0.0.1"],
  // The REST body limit is enforced by lib/http/read-json-body.ts. Upload
  // pieces (~2 MB, at most 8 MiB) arrive at /imports/new/pieces; begin and
  // finish are server actions.
  experimental: { serverActions: { bodySizeLimit: "8mb" } },
  typescript: { ignoreBuildErrors: false },
};

export default nextConfig;
