import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { AppError } from "@/lib/errors";
import { isForbiddenAddress, openCsvUrl, type SafeFetchOptions } from "@/lib/csv/safe-fetch";
import { startFixtureServer } from "../support/http-fixture";

test.each([
  ["127.0.0.1", true],
  ["127.8.9.10", true],
  ["10.1.2.3", true],
  ["172.16.0.1", true],
  ["172.31.255.255", true],
  ["192.168.1.1", true],
  ["169.254.169.254", true],
  ["100.64.0.1", true],
  ["0.0.0.0", true],
  ["255.255.255.255", true],
  ["::1", true],
  ["::", true],
  ["fe80::1", true],
  ["fd12:3456::1", true],
  ["::ffff:127.0.0.1", true],
  ["::ffff:7f00:1", true],
  ["8.8.8.8", false],
  ["172.32.0.1", false],
  ["151.101.1.1", false],
  ["2a00:1450:4009:81f::200e", false],
  ["not-an-ip", true],
])("isForbiddenAddress(%s) is %s", (ip, forbidden) => {
  expect(isForbiddenAddress(ip)).toBe(forbidden);
});

async function drain(it: AsyncIterable<Uint8Array>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of it) parts.push(Buffer.from(c));
  return Buffer.concat(parts).toString();
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return (e as AppError).code;
  }
  return "no error";
}

describe("openCsvUrl against a local server", () => {
  let srv: Awaited<ReturnType<typeof startFixtureServer>>;
  const opts = (o: Partial<SafeFetchOptions> = {}): SafeFetchOptions => ({
    allowedHosts: ["127.0.0.1"],
    timeoutMs: 2_000,
    maxBytes: 1_000_000,
    ...o,
  });
  beforeAll(async () => {
    srv = await startFixtureServer({
      "/ok.csv": (_q, res) => res.end("external_id\n1\n"),
      "/to-ok": (_q, res) => {
        res.writeHead(302, { location: "/ok.csv" });
        res.end();
      },
      "/to-loopback": (_q, res) => {
        res.writeHead(302, { location: `http://127.0.0.1:${srv.port}/ok.csv` });
        res.end();
      },
      "/slow": (_q, res) => {
        res.write("external_id\n");
        setTimeout(() => res.end("1\n"), 5_000).unref();
      },
      "/big": (_q, res) => {
        res.write("external_id\n");
        for (let i = 0; i < 300; i++) res.write("x".repeat(10_000) + "\n");
        res.end();
      },
    });
  });
  afterAll(() => srv.close());

  test("loopback is refused unless the host is allowed", async () => {
    expect(await codeOf(openCsvUrl(srv.url("/ok.csv"), opts({ allowedHosts: [] })))).toBe("csv_refused_address");
    expect(await drain(await openCsvUrl(srv.url("/ok.csv"), opts()))).toBe("external_id\n1\n");
  });

  test("a name that resolves to loopback is refused after DNS", async () => {
    expect(await codeOf(openCsvUrl(srv.url("/ok.csv", "localhost"), opts({ allowedHosts: [] })))).toBe(
      "csv_refused_address",
    );
  });

  test("every redirect is checked again", async () => {
    expect(await drain(await openCsvUrl(srv.url("/to-ok"), opts()))).toBe("external_id\n1\n");
    // localhost is allowed, the redirect's 127.0.0.1 is not
    expect(
      await codeOf(openCsvUrl(srv.url("/to-loopback", "localhost"), opts({ allowedHosts: ["localhost"] }))),
    ).toBe("csv_refused_address");
  });

  test("HTTP errors, unknown hosts and bad schemes are csv_unreachable or refused", async () => {
    expect(await codeOf(openCsvUrl(srv.url("/missing.csv"), opts()))).toBe("csv_unreachable");
    expect(await codeOf(openCsvUrl("http://no-such-host.invalid/x.csv", opts()))).toBe("csv_unreachable");
    expect(await codeOf(openCsvUrl("file:///etc/passwd", opts()))).toBe("csv_refused_address");
  });

  test("the time limit covers the body", async () => {
    const started = Date.now();
    expect(await codeOf(openCsvUrl(srv.url("/slow"), opts({ timeoutMs: 300 })).then(drain))).toBe("csv_timeout");
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  test("the size limit stops the download", async () => {
    expect(await codeOf(openCsvUrl(srv.url("/big"), opts({ maxBytes: 100_000 })).then(drain))).toBe("csv_too_large");
  });
});
