// When staff session cookies are Secure (lib/auth/session-cookies.ts).
import { describe, expect, test } from "vitest";
import { sessionCookiesSecure } from "@/lib/auth/session-cookies";

describe("sessionCookiesSecure", () => {
  test.each([
    // production (npm start): Secure whatever the request says…
    [{ production: true }, true],
    [{ production: true, forwardedProto: "http" }, true],
    [{ production: true, forwardedProto: "https" }, true],
    [{ production: true, betterAuthUrl: "https://imports.example.org" }, true],
    // …unless BETTER_AUTH_URL opts in to plain HTTP
    [{ production: true, betterAuthUrl: "http://10.0.0.5:3000", forwardedProto: "https" }, false],
    [{ production: true, betterAuthUrl: "HTTP://imports.lan" }, false],
    // next dev: BETTER_AUTH_URL, else the request's protocol
    [{ production: false }, false],
    [{ production: false, forwardedProto: "http" }, false],
    [{ production: false, forwardedProto: "https" }, true],
    [{ production: false, forwardedProto: "HTTPS, http" }, true],
    [{ production: false, betterAuthUrl: "https://imports.example.org", forwardedProto: "http" }, true],
    [{ production: false, betterAuthUrl: "http://localhost:3000", forwardedProto: "https" }, false],
  ])("%j → %s", (input, secure) => {
    expect(sessionCookiesSecure(input)).toBe(secure);
  });
});
