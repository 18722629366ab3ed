// The front server's door, against an upstream that records every request it
// receives: each ambiguous or malformed request is refused or passed on as
// exactly one request, nothing a client sent becomes another request, bodies
// are bounded before they are read, slow clients are timed out and capped
// per address. (tests/api/front-door.test.ts sends the same to `npm start`.)
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { AUTH_MAX_BODY_BYTES } from "@/lib/http/front-guard";
import { createFrontServer, type FrontServerOptions } from "@/lib/http/front-server";
import { MAX_PIECE_BODY_BYTES } from "@/lib/upload/piece-limits";
import { AMBIGUOUS_REQUESTS, chunked } from "../support/ambiguous-requests";
import { rawExchange, slowSender, statuses } from "../support/raw-http";

type Seen = { method: string; url: string; body: string; headers: http.IncomingHttpHeaders };
const seen: Seen[] = [];
let upstream: http.Server;
let upstreamPort = 0;
const fronts: http.Server[] = [];

beforeAll(async () => {
  upstream = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("latin1");
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      seen.push({ method: req.method!, url: req.url!, body, headers: req.headers });
      res.setHeader("set-cookie", ["a=1", "b=2"]);
      res.end(`seen ${req.method} ${req.url} ${body.length}`);
    });
  });
  await new Promise<void>((r) => upstream.listen(0, "127.0.0.1", r));
  upstreamPort = (upstream.address() as AddressInfo).port;
});
afterEach(() => void (seen.length = 0));
afterAll(async () => {
  for (const s of [...fronts, upstream]) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

async function front(opts: Partial<FrontServerOptions> = {}): Promise<number> {
  const server = createFrontServer({ nextPort: upstreamPort, trustedProxies: [], maxBodyBytes: 1024 * 1024, ...opts });
  fronts.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return (server.address() as AddressInfo).port;
}

/** A second client, on its own connection, gets its own answer and no other. */
async function victimGetsOwnAnswer(port: number, localAddress?: string): Promise<void> {
  const raw = await rawExchange(port, "GET /victim HTTP/1.1\r\nHost: app\r\nConnection: close\r\n\r\n", { localAddress });
  expect(statuses(raw)).toEqual([200]);
  expect(raw).toMatch(/seen GET \/victim 0$/);
}

describe("ambiguous framing", () => {
  let port = 0;
  beforeAll(async () => void (port = await front()));

  for (const c of AMBIGUOUS_REQUESTS) {
    test(`${c.name}: ${c.expect === "refused" ? "400, nothing passed on" : "passed on as exactly one request each"}`, async () => {
      const raw = await rawExchange(port, c.bytes);
      if (c.expect === "refused") {
        expect(statuses(raw)).toEqual([400]);
        expect(raw).not.toMatch(/evil\.example/);
        expect(seen).toEqual([]);
      } else {
        expect(statuses(raw)).toEqual(c.expect.map(() => 200));
        // Node may pass pipelined requests on at once; their answers come back in order
        expect(seen.map((s) => `${s.method} ${s.url} ${s.body}`).sort()).toEqual([...c.expect].sort());
        const answers = [...raw.matchAll(/seen (\S+ \S+) \d+/g)].map((m) => m[1]);
        expect(answers).toEqual(c.expect.map((e) => e.split(" ").slice(0, 2).join(" ")));
      }
      seen.length = 0;
      await victimGetsOwnAnswer(port);
      expect(seen.map((s) => s.url)).toEqual(["/victim"]);
    });
  }

  test("hop-by-hop headers and the client's own X-Forwarded-* are dropped; every Set-Cookie comes back", async () => {
    const raw = await rawExchange(
      port,
      "GET /h HTTP/1.1\r\nHost: app\r\nConnection: close, x-secret\r\nX-Secret: 1\r\nX-Forwarded-For: 6.6.6.6\r\nKeep-Alive: timeout=1\r\n\r\n",
    );
    expect(statuses(raw)).toEqual([200]);
    expect(raw.match(/^set-cookie: .*$/gim)?.map((line) => line.trim())).toEqual(["set-cookie: a=1", "set-cookie: b=2"]);
    const h = seen[0].headers;
    expect(h["x-forwarded-for"]).toBe("127.0.0.1");
    expect(h["x-secret"]).toBeUndefined();
    expect(h["keep-alive"]).toBeUndefined();
  });
});

describe("bodies bounded before they are read", () => {
  let port = 0;
  beforeAll(async () => void (port = await front()));

  const post = (path: string, length: number, extra = "") =>
    `POST ${path} HTTP/1.1\r\nHost: app\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n${extra}\r\n`;

  test.each([
    ["/api/auth/sign-out", AUTH_MAX_BODY_BYTES],
    ["/imports/new/pieces", MAX_PIECE_BODY_BYTES],
    ["/imports/new", 1024 * 1024],
  ])("%s: a declared body over %i bytes is answered 413 with nothing sent", async (path, limit) => {
    // only the headers are sent: the answer must not wait for the body
    const raw = await rawExchange(port, post(path, limit + 1));
    expect(statuses(raw)).toEqual([413]);
    expect(raw).toContain(`"limit_bytes":${limit}`);
    expect(seen).toEqual([]);
  });

  test("a client that sends its whole too-large body anyway sees the 413, and its connection goes on to its next request", async () => {
    const big = 1024 * 1024 + 1;
    const raw = await rawExchange(port, post("/imports/new", big) + "z".repeat(big) + "GET /next HTTP/1.1\r\nHost: app\r\nConnection: close\r\n\r\n", { waitMs: 5_000 });
    expect(statuses(raw)).toEqual([413, 200]);
    expect(seen.map((s) => s.url)).toEqual(["/next"]);
  });

  test("a body at the limit is passed on whole", async () => {
    const raw = await rawExchange(port, post("/api/auth/sign-out", AUTH_MAX_BODY_BYTES, "Connection: close\r\n") + "x".repeat(AUTH_MAX_BODY_BYTES));
    expect(statuses(raw)).toEqual([200]);
    expect(seen.map((s) => s.body.length)).toEqual([AUTH_MAX_BODY_BYTES]);
  });

  test("a chunked body that grows past the limit is cut off: 413, and no request completes upstream", async () => {
    const head = "POST /api/auth/sign-out HTTP/1.1\r\nHost: app\r\nTransfer-Encoding: chunked\r\n\r\n";
    const raw = await rawExchange(port, head + chunked("y".repeat(AUTH_MAX_BODY_BYTES + 10), 1000));
    expect(statuses(raw)).toEqual([413]);
    expect(seen).toEqual([]);
    await victimGetsOwnAnswer(port);
  });

  test("Expect: 100-continue: a body over the limit is refused without asking for it", async () => {
    const raw = await rawExchange(port, post("/api/auth/sign-in/email", 100_000, "Expect: 100-continue\r\n"));
    expect(statuses(raw)).toEqual([413]);
    expect(raw).not.toContain("100 Continue");
  });
});

describe("slow clients", () => {
  test("headers that stop arriving: 408 and closed, within the idle time", async () => {
    const port = await front({ clientIdleMs: 1_000 });
    const started = Date.now();
    const raw = await rawExchange(port, "GET /slow HTTP/1.1\r\nHost: app\r\n", { waitMs: 5_000 });
    expect(statuses(raw)).toEqual([408]);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(seen).toEqual([]);
  });

  test("a body that stops arriving: 408 and closed", async () => {
    const port = await front({ clientIdleMs: 1_000 });
    const raw = await rawExchange(port, "POST /form HTTP/1.1\r\nHost: app\r\nContent-Length: 100\r\n\r\nabc", { waitMs: 5_000 });
    expect(statuses(raw)).toEqual([408]);
    expect(seen).toEqual([]);
  });

  test("one address holding slow bodies gets its cap, then 429; another address is answered at once", async () => {
    const port = await front({ maxRequestsPerClient: 4, clientIdleMs: 5_000 });
    const head = (n: number) => `POST /form/${n} HTTP/1.1\r\nHost: app\r\nContent-Length: 200000\r\n\r\n`;
    const slow = Array.from({ length: 10 }, (_, n) => slowSender(port, head(n), { everyMs: 500 }));
    try {
      const refused = await Promise.all(slow.slice(4).map((s) => s.answer));
      expect(refused.map((r) => statuses(r))).toEqual(refused.map(() => [429]));
      expect(refused[0]).toMatch(/retry-after: 1/i);
      const started = Date.now();
      await victimGetsOwnAnswer(port, "127.0.0.2");
      expect(Date.now() - started).toBeLessThan(1_000);
    } finally {
      for (const s of slow) s.stop();
    }
  });

  test("behind a trusted proxy, the cap is per forwarded client", async () => {
    const port = await front({ maxRequestsPerClient: 1, trustedProxies: ["127.0.0.1"], clientIdleMs: 5_000 });
    const head = (ip: string) => `POST /form HTTP/1.1\r\nHost: app\r\nX-Forwarded-For: ${ip}\r\nContent-Length: 200000\r\n\r\n`;
    const a = slowSender(port, head("198.51.100.1"), { everyMs: 500 });
    try {
      await new Promise((r) => setTimeout(r, 200));
      const sameClient = await rawExchange(port, "GET /x HTTP/1.1\r\nHost: app\r\nX-Forwarded-For: 198.51.100.1\r\n\r\n", { waitMs: 1_000 });
      expect(statuses(sameClient)).toEqual([429]);
      const other = await rawExchange(port, "GET /y HTTP/1.1\r\nHost: app\r\nX-Forwarded-For: 198.51.100.2\r\nConnection: close\r\n\r\n");
      expect(statuses(other)).toEqual([200]);
    } finally {
      a.stop();
    }
  });
});

describe("HSTS", () => {
  test("over HTTPS through a trusted proxy, every answer carries it; over plain HTTP none does", async () => {
    const port = await front({ trustedProxies: ["127.0.0.1"] });
    const ask = (proto: string, path: string) =>
      rawExchange(port, `GET ${path} HTTP/1.1\r\nHost: app\r\nX-Forwarded-Proto: ${proto}\r\nConnection: close\r\n\r\n`);
    for (const path of ["/page", "/api/other"]) {
      expect(await ask("https", path)).toMatch(/^strict-transport-security: max-age=31536000\r$/im);
      expect(await ask("http", path)).not.toMatch(/strict-transport-security/i);
    }
    // a refusal too
    const refused = await rawExchange(port, "GET http://evil.example/ HTTP/1.1\r\nHost: app\r\nX-Forwarded-Proto: https\r\n\r\n");
    expect(refused).toMatch(/strict-transport-security: max-age=31536000/i);
  });
});
