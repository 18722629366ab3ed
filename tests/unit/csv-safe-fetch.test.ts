import dns from "node:dns";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from "vitest";
import { AppError } from "@/lib/errors";
import { isForbiddenAddress, openCsvUrl, type SafeFetchOptions } from "@/lib/csv/safe-fetch";

describe("isForbiddenAddress", () => {
  test.each([
    // IPv4
    ["127.0.0.1", true],
    ["127.255.0.9", true],
    ["10.0.0.1", true],
    ["172.16.0.1", true],
    ["172.31.255.254", true],
    ["192.168.0.10", true],
    ["100.64.0.1", true],
    ["100.127.255.255", true],
    ["169.254.169.254", true],
    ["169.254.1.1", true],
    ["0.0.0.0", true],
    ["0.1.2.3", true],
    ["224.0.0.251", true],
    ["239.255.255.250", true],
    ["255.255.255.255", true],
    ["240.0.0.1", true],
    ["192.0.2.1", true],
    ["198.18.0.1", true],
    ["8.8.8.8", false],
    ["1.1.1.1", false],
    ["172.15.255.255", false],
    ["172.32.0.1", false],
    ["100.63.255.255", false],
    ["100.128.0.1", false],
    ["169.253.1.1", false],
    ["193.168.0.1", false],
    ["151.101.1.140", false],
    // IPv6
    ["::1", true],
    ["::", true],
    ["0:0:0:0:0:0:0:1", true],
    ["fe80::1", true],
    ["fe80::1%eth0", true],
    ["febf::1", true],
    ["fc00::1", true],
    ["fd12:3456:789a::1", true],
    ["ff02::1", true],
    ["fec0::1", true],
    ["2001:db8::1", true],
    ["2001::1", true],
    ["100::1", true],
    ["::127.0.0.1", true],
    ["[::1]", true],
    ["2606:4700:4700::1111", false],
    ["2a00:1450:4009:81f::200e", false],
    ["2001:4860:4860::8888", false],
    // IPv6 forms that embed IPv4
    ["::ffff:127.0.0.1", true],
    ["::ffff:7f00:1", true],
    ["::ffff:169.254.169.254", true],
    ["::ffff:a9fe:a9fe", true],
    ["::ffff:10.0.0.1", true],
    ["::ffff:8.8.8.8", false],
    ["64:ff9b::127.0.0.1", true],
    ["64:ff9b::8.8.8.8", false],
    ["2002:7f00:1::", true],
    ["2002:0808:0808::1", false],
    // not addresses
    ["not-an-ip", true],
    ["", true],
    ["1.2.3", true],
  ])("%s -> %s", (ip, forbidden) => {
    expect(isForbiddenAddress(ip)).toBe(forbidden);
  });
});

// ---------------------------------------------------------------------------

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

let server: Server;
let port: number;
const routes = new Map<string, Handler>();
const seen: { path: string; host: string | undefined; closedEarly: boolean }[] = [];

function url(path: string, host = "127.0.0.1") {
  return `http://${host}:${port}${path}`;
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const entry = { path, host: req.headers.host, closedEarly: false };
    seen.push(entry);
    res.on("close", () => {
      if (!res.writableFinished) entry.closedEarly = true;
    });
    const handler = routes.get(path);
    if (!handler) {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not here");
      return;
    }
    handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;

  routes.set("/ok.csv", (_q, res) => res.end("external_id\n1\n"));
  routes.set("/to-ok", (_q, res) => {
    res.writeHead(302, { location: "/ok.csv" });
    res.end();
  });
  routes.set("/to-ok-twice", (_q, res) => {
    res.writeHead(301, { location: url("/to-ok") });
    res.end();
  });
  routes.set("/to-loopback-literal", (_q, res) => {
    res.writeHead(307, { location: url("/ok.csv", "127.0.0.1") });
    res.end();
  });
  routes.set("/to-metadata", (_q, res) => {
    res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/" });
    res.end();
  });
  routes.set("/to-file", (_q, res) => {
    res.writeHead(302, { location: "file:///etc/passwd" });
    res.end();
  });
  routes.set("/loop", (_q, res) => {
    res.writeHead(302, { location: "/loop" });
    res.end();
  });
  routes.set("/server-error", (_q, res) => {
    res.writeHead(503);
    res.end("down");
  });
  routes.set("/slow-headers", (_q, res) => {
    setTimeout(() => res.end("external_id\n"), 3_000).unref();
  });
  routes.set("/slow-body", (_q, res) => {
    res.write("external_id\n");
    setTimeout(() => res.end("1\n"), 3_000).unref();
  });
  routes.set("/steady", (_q, res) => {
    // 5 chunks, each sent right away; the consumer will be slow, not the server
    for (let i = 0; i < 5; i++) res.write(`${"x".repeat(100_000)}\n`);
    res.end();
  });
  routes.set("/declared-big", (_q, res) => {
    res.writeHead(200, { "content-length": String(5_000_000) });
    res.write("external_id\n");
  });
  routes.set("/chunked-big", (_q, res) => {
    res.writeHead(200, { "content-type": "text/csv" });
    let sent = 0;
    const pump = () => {
      while (sent < 50_000_000) {
        sent += 64 * 1024;
        if (!res.write("x".repeat(64 * 1024))) return void res.once("drain", pump);
      }
      res.end();
    };
    pump();
  });
  routes.set("/gzip.csv", (_q, res) => {
    res.writeHead(200, { "content-encoding": "gzip" });
    res.end(gzipSync("external_id\n1\n2\n"));
  });
  routes.set("/gzip-bomb", (_q, res) => {
    res.writeHead(200, { "content-encoding": "gzip" });
    res.end(gzipSync(Buffer.alloc(20_000_000, 0x41)));
  });
  routes.set("/echo-host", (req, res) => res.end(`external_id\n${req.headers.host}\n`));
  routes.set("/truncated", (req, res) => {
    res.writeHead(200, { "content-length": "1000" });
    res.write("external_id\n1\n");
    setTimeout(() => req.socket.destroy(), 50);
  });
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

afterEach(() => {
  vi.restoreAllMocks();
});

const opts = (o: Partial<SafeFetchOptions> = {}): SafeFetchOptions => ({
  allowedHosts: ["127.0.0.1"],
  timeoutMs: 2_000,
  maxBytes: 1_000_000,
  ...o,
});

async function drain(it: AsyncIterable<Uint8Array>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of it) parts.push(Buffer.from(c));
  return Buffer.concat(parts).toString();
}

async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error("expected a failure");
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("openCsvUrl: addresses", () => {
  test("loopback is refused by default, before any request is made", async () => {
    const before = seen.length;
    const e = await failure(openCsvUrl(url("/ok.csv"), opts({ allowedHosts: [] })));
    expect(e.code).toBe("csv_refused_address");
    expect(e.message).toContain("127.0.0.1");
    expect(e.message).toMatch(/loopback/);
    expect(seen.length).toBe(before);
  });

  test("a name that resolves to loopback is refused after DNS, naming the host", async () => {
    const e = await failure(openCsvUrl(url("/ok.csv", "localhost"), opts({ allowedHosts: ["127.0.0.1"] })));
    expect(e.code).toBe("csv_refused_address");
    expect(e.message).toContain("localhost");
    expect(e.message).toMatch(/loopback/);
  });

  test("literal private, metadata and IPv6 loopback addresses are refused", async () => {
    for (const u of ["http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/x.csv", "http://[::1]/x.csv", "http://[::ffff:127.0.0.1]/x.csv", "http://0x7f000001/x.csv", "http://0/x.csv"]) {
      expect((await failure(openCsvUrl(u, opts({ allowedHosts: [] })))).code).toBe("csv_refused_address");
    }
  });

  test("an allowed host is fetched (by IP or by name, case-insensitive)", async () => {
    expect(await drain(await openCsvUrl(url("/ok.csv"), opts({ allowedHosts: ["127.0.0.1"] })))).toBe("external_id\n1\n");
    expect(await drain(await openCsvUrl(url("/ok.csv", "LOCALHOST"), opts({ allowedHosts: ["localhost"] })))).toBe(
      "external_id\n1\n",
    );
  });

  test("only http and https", async () => {
    for (const u of ["file:///etc/passwd", "ftp://127.0.0.1/x.csv", "gopher://127.0.0.1/"]) {
      expect((await failure(openCsvUrl(u, opts()))).code).toBe("csv_refused_address");
    }
  });

  test("connects to the address that was checked: no second lookup, Host header kept", async () => {
    // The name resolves (once) to 127.0.0.1. Any later lookup would answer
    // with an address where nothing listens, so the test only passes if
    // the connection uses the checked address.
    const promiseLookup = vi
      .spyOn(dns.promises, "lookup")
      .mockImplementation((async () => [{ address: "127.0.0.1", family: 4 }]) as unknown as typeof dns.promises.lookup);
    const callbackLookup = vi.spyOn(dns, "lookup").mockImplementation(((
      _h: string,
      o: unknown,
      cb?: (...a: unknown[]) => void,
    ) => {
      const callback = (typeof o === "function" ? o : cb) as (...a: unknown[]) => void;
      callback(null, [{ address: "127.0.0.2", family: 4 }], 4);
    }) as unknown as typeof dns.lookup);
    const body = await drain(await openCsvUrl(url("/echo-host", "csv.rebind.test"), opts({ allowedHosts: ["csv.rebind.test"] })));
    expect(body).toBe(`external_id\ncsv.rebind.test:${port}\n`);
    expect(promiseLookup).toHaveBeenCalledTimes(1);
    expect(callbackLookup).not.toHaveBeenCalled();
  });

  test("a name that resolves to a public and a private address is refused", async () => {
    vi.spyOn(dns.promises, "lookup").mockImplementation((async () => [
      { address: "93.184.216.34", family: 4 },
      { address: "10.1.2.3", family: 4 },
    ]) as unknown as typeof dns.promises.lookup);
    const e = await failure(openCsvUrl("http://mixed.example.test/x.csv", opts({ allowedHosts: [] })));
    expect(e.code).toBe("csv_refused_address");
    expect(e.message).toMatch(/private/);
    expect(e.message).not.toContain("10.1.2.3"); // internal addresses are not revealed
  });
});

describe("openCsvUrl: redirects", () => {
  test("redirects are followed (relative and absolute)", async () => {
    expect(await drain(await openCsvUrl(url("/to-ok-twice"), opts()))).toBe("external_id\n1\n");
  });

  test("a redirect to a refused address is refused even though the first host was allowed", async () => {
    // localhost is allowed; the redirect goes to 127.0.0.1, which is not
    const before = seen.filter((s) => s.path === "/ok.csv").length;
    const e = await failure(openCsvUrl(url("/to-loopback-literal", "localhost"), opts({ allowedHosts: ["localhost"] })));
    expect(e.code).toBe("csv_refused_address");
    expect(e.message).toMatch(/redirect/);
    expect(seen.filter((s) => s.path === "/ok.csv").length).toBe(before);
  });

  test("a redirect to the cloud metadata address or to file: is refused", async () => {
    expect((await failure(openCsvUrl(url("/to-metadata"), opts()))).code).toBe("csv_refused_address");
    expect((await failure(openCsvUrl(url("/to-file"), opts()))).code).toBe("csv_refused_address");
  });

  test("more than maxRedirects redirects", async () => {
    const e = await failure(openCsvUrl(url("/loop"), opts()));
    expect(e.code).toBe("csv_unreachable");
    expect(e.message).toMatch(/more than 5/);
    expect((await failure(openCsvUrl(url("/to-ok-twice"), opts({ maxRedirects: 1 })))).code).toBe("csv_unreachable");
  });
});

describe("openCsvUrl: failures and limits", () => {
  test("HTTP errors are csv_unreachable with the status", async () => {
    const e = await failure(openCsvUrl(url("/missing.csv"), opts()));
    expect(e.code).toBe("csv_unreachable");
    expect(e.message).toContain("404");
    expect((await failure(openCsvUrl(url("/server-error"), opts()))).message).toContain("503");
  });

  test("connection refused and unknown hosts are csv_unreachable", async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const freePort = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const e = await failure(openCsvUrl(`http://127.0.0.1:${freePort}/x.csv`, opts()));
    expect(e.code).toBe("csv_unreachable");
    expect(e.message).toMatch(/refused/);
    expect((await failure(openCsvUrl("http://no-such-host.invalid/x.csv", opts()))).code).toBe("csv_unreachable");
  });

  test("a download cut off before Content-Length is csv_unreachable, not a short file", async () => {
    const e = await failure(openCsvUrl(url("/truncated"), opts()).then(drain));
    expect(e.code).toBe("csv_unreachable");
  });

  test("slow headers: csv_timeout", async () => {
    const started = Date.now();
    const e = await failure(openCsvUrl(url("/slow-headers"), opts({ timeoutMs: 300 })));
    expect(e.code).toBe("csv_timeout");
    expect(e.message).toMatch(/did not finish downloading within 0.3 seconds/);
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  test("slow body: csv_timeout thrown while reading, and the connection is dropped", async () => {
    const started = Date.now();
    const body = await openCsvUrl(url("/slow-body"), opts({ timeoutMs: 400 }));
    const e = await failure(drain(body));
    expect(e.code).toBe("csv_timeout");
    expect(Date.now() - started).toBeLessThan(1_500);
    await sleep(50);
    expect(seen.filter((s) => s.path === "/slow-body").at(-1)?.closedEarly).toBe(true);
  });

  test("time the consumer spends between reads does not count against the limit", async () => {
    const body = await openCsvUrl(url("/steady"), opts({ timeoutMs: 300, maxBytes: 10_000_000 }));
    let size = 0;
    for await (const c of body) {
      size += c.length;
      await sleep(60); // e.g. writing rows to the database
    }
    expect(size).toBe(5 * 100_001);
  });

  test("a declared Content-Length over the limit is refused up front", async () => {
    const e = await failure(openCsvUrl(url("/declared-big"), opts({ maxBytes: 1024 * 1024 })));
    expect(e.code).toBe("csv_too_large");
    expect(e.message).toMatch(/larger than 1 MB/);
  });

  test("a chunked body over the limit stops the download", async () => {
    const body = await openCsvUrl(url("/chunked-big"), opts({ maxBytes: 2 * 1024 * 1024 }));
    let size = 0;
    const e = await failure(
      (async () => {
        for await (const c of body) size += c.length;
      })(),
    );
    expect(e.code).toBe("csv_too_large");
    expect(e.message).toMatch(/larger than 2 MB/);
    expect(size).toBeLessThanOrEqual(2 * 1024 * 1024);
    await sleep(50);
    expect(seen.filter((s) => s.path === "/chunked-big").at(-1)?.closedEarly).toBe(true);
  });

  test("gzip bodies are decoded and the limit applies to the decoded size", async () => {
    expect(await drain(await openCsvUrl(url("/gzip.csv"), opts()))).toBe("external_id\n1\n2\n");
    const e = await failure(openCsvUrl(url("/gzip-bomb"), opts({ maxBytes: 1_000_000 })).then(drain));
    expect(e.code).toBe("csv_too_large");
  });

  test("stopping early closes the connection", async () => {
    const body = await openCsvUrl(url("/chunked-big"), opts({ maxBytes: 100_000_000 }));
    for await (const c of body) {
      expect(c.length).toBeGreaterThan(0);
      break;
    }
    await sleep(50);
    expect(seen.filter((s) => s.path === "/chunked-big").at(-1)?.closedEarly).toBe(true);
  });
});
