// The client's address for the audit log. The front server
// (lib/http/front-server.ts) replaces X-Forwarded-For with the one address
// it decided on (lib/http/client-address.ts), so the app reads it as is.
import "server-only";

export function requestAddress(headers: Headers): string | null {
  const v = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return v ? v.slice(0, 100) : null;
}
