/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  allowedDevOrigins: ["127.0.0.1"],
  // The request body limit is enforced by lib/http/read-json-body.ts.
  typescript: { ignoreBuildErrors: false },
};

export default nextConfig;
