// The front server: what `npm start` puts on the public port (scripts/front.ts).
// It answers POST /api/targets/bulk_upsert and GET /api/deferred_results/<id>
// itself, with plain node:http (the hot paths: Next.js's request pipeline
// costs ~4 ms a 170 KB request before a route runs, more than a whole submit
// here, and ~4.7 ms of CPU a poll of a deferred result; docs/decisions/010), and passes
// every other request, streaming both ways, to the Next.js server on a
// loopback port. It is also the one place that says who the client is: it
// sets X-Forwarded-For and X-Forwarded-Proto itself, believing a peer's own
// forwarded headers only if that peer is in TRUSTED_PROXIES.
import "server-only";
import http from "node:http";
import net from "node:net";
import { promisify } from "node:util";
import zlib from "node:zlib";
import { db } from "../db/client";
import { bulkUpsertEndpoint } from "./bulk-upsert-endpoint";
import { deferredResultEndpoint } from "./deferred-result-endpoint";
import type { IncomingRequest } from "./read-json-body";

export const BULK_UPSERT_PATH = "/api/targets/bulk_upsert";
/** A deferred result's path with an id that needs no decoding (every id the app makes); any other goes to Next.js. */
const DEFERRED_RESULT_PATH = /^\/api\/deferred_results\/([A-Za-z0-9-]{1,64})$/;
/** Answers at least this long are gzipped for a client that accepts it (as Next.js does). */
const GZIP_MIN_BYTES = 1024;
const gzip = promisify(zlib.gzip);
/** How long an idle connection to Next.js is kept for reuse (below its 5 s keep-alive timeout). */
const UPSTREAM_IDLE_MS = 4_000;
/** The most of a refused body read (and discarded) so that its sender sees the answer. */
const LINGER_MAX_BYTES = 64 * 1024 * 1024;

/** Addresses (or CIDR ranges) of the proxies in front of us whose X-Forwarded-* headers are believed. */
export function trustedProxies(list: readonly string[]): (ip: string) => boolean {
  const blocks = new net.BlockList();
  for (const entry of list) {
    const [address, bits] = entry.split("/");
    const family = net.isIPv6(address) ? "ipv6" : "ipv4";
    if (!net.isIP(address)) throw new Error(`TRUSTED_PROXIES: ${entry} is not an address or a CIDR range`);
    if (bits === undefined) blocks.addAddress(address, family);
    else blocks.addSubnet(address, Number(bits), family);
  }
  return (ip) => {
    const plain = plainAddress(ip);
    return net.isIP(plain) !== 0 && blocks.check(plain, net.isIPv6(plain) ? "ipv6" : "ipv4");
  };
}

/** "::ffff:10.0.0.1" (an IPv4 peer on a dual-stack socket) → "10.0.0.1". */
function plainAddress(ip: string): string {
  return ip.startsWith("::ffff:") && net.isIPv4(ip.slice(7)) ? ip.slice(7) : ip;
}

const firstHeader = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join(", ") : v);

/**
 * The client's address and protocol. A peer that is not a trusted proxy is
 * the client itself, whatever it sends; behind trusted proxies, the client is
 * the right-most address in X-Forwarded-For that is not one of them.
 */
export function clientOf(req: http.IncomingMessage, trusted: (ip: string) => boolean): { ip: string; proto: string } {
  const peer = plainAddress(req.socket.remoteAddress ?? "");
  if (!trusted(peer)) return { ip: peer, proto: "http" };
  const chain = (firstHeader(req.headers["x-forwarded-for"]) ?? "")
    .split(",")
    .map((s) => plainAddress(s.trim()))
    .filter((s) => net.isIP(s) !== 0);
  let ip = peer;
  for (let i = chain.length - 1; i >= 0; i--) {
    ip = chain[i];
    if (!trusted(ip)) break;
  }
  const proto = (firstHeader(req.headers["x-forwarded-proto"]) ?? "http").split(",")[0].trim().toLowerCase();
  return { ip, proto: proto === "https" ? "https" : "http" };
}

function fromNodeRequest(req: http.IncomingMessage): IncomingRequest {
  return {
    header: (name) => firstHeader(req.headers[name.toLowerCase()]) ?? null,
    readDeclared: () =>
      req.headers["content-length"] === undefined
        ? null
        : (async () => {
            // node:http holds the body to its Content-Length
            const parts: Buffer[] = [];
            for await (const part of req) parts.push(part as Buffer);
            return Buffer.concat(parts);
          })(),
    chunks: () => req,
  };
}

// The security headers of every answer (next.config.js sets them on what
// Next.js answers): these JSON answers are never run, shown or framed.
const ANSWER_HEADERS: http.OutgoingHttpHeaders = {
  "x-content-type-options": "nosniff",
  "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
  "x-frame-options": "DENY",
  "referrer-policy": "same-origin",
};

const hasBody = (req: http.IncomingMessage) => req.headers["content-length"] !== undefined || req.headers["transfer-encoding"] !== undefined;

/** A GET or HEAD without a body: safe to send upstream twice. */
function hasNoBody(req: http.IncomingMessage): boolean {
  return (req.method === "GET" || req.method === "HEAD") && !hasBody(req);
}

// Headers that belong to one connection, not to the message (RFC 9110 7.6.1).
const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade"]);

export function createFrontServer(opts: { nextPort: number; trustedProxies: readonly string[] }): http.Server {
  const trusted = trustedProxies(opts.trustedProxies);
  // Idle upstream connections are closed after 4 s, before Next.js closes
  // them (Node's default keep-alive timeout, 5 s): a request sent on one the
  // other side was closing at that moment would fail (seen in CI as a 502 on
  // a script, and a page that never started).
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256, timeout: UPSTREAM_IDLE_MS });

  async function bulkUpsert(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const { status, body } = await bulkUpsertEndpoint(db(), fromNodeRequest(req));
    const headers: http.OutgoingHttpHeaders = { "content-type": "application/json", ...ANSWER_HEADERS };
    if (!req.complete) {
      // Answered before the body was read (401, 413, 415). A client still
      // sending would fail to see the answer if we closed now, so a declared
      // body of sane size is read to its end and thrown away (as nginx's
      // lingering close); nothing of it is kept. Anything larger: close.
      const declared = Number(req.headers["content-length"]);
      if (Number.isFinite(declared) && declared <= LINGER_MAX_BYTES) req.resume();
      else headers.connection = "close";
    }
    res.writeHead(status, headers).end(JSON.stringify(body));
  }

  async function deferredResult(req: http.IncomingMessage, res: http.ServerResponse, id: string): Promise<void> {
    const { status, body } = await deferredResultEndpoint(db(), id, firstHeader(req.headers.authorization) ?? null);
    const json = Buffer.from(JSON.stringify(body));
    const headers: http.OutgoingHttpHeaders = { "content-type": "application/json", vary: "accept-encoding", ...ANSWER_HEADERS };
    const acceptsGzip = /\bgzip\b/i.test(firstHeader(req.headers["accept-encoding"]) ?? "");
    if (acceptsGzip && json.byteLength >= GZIP_MIN_BYTES) {
      res.writeHead(status, { ...headers, "content-encoding": "gzip" }).end(await gzip(json));
    } else {
      res.writeHead(status, headers).end(json);
    }
  }

  /** `retry`: a request without a body whose reused upstream connection failed before any answer is sent once more, on a new one. */
  function proxy(req: http.IncomingMessage, res: http.ServerResponse, retry = hasNoBody(req)): void {
    const client = clientOf(req, trusted);
    const headers: http.OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (!HOP_BY_HOP.has(name) && !name.startsWith("x-forwarded-")) headers[name] = value;
    }
    headers["x-forwarded-for"] = client.ip;
    headers["x-forwarded-proto"] = client.proto;
    const upstream = http.request(
      { host: "127.0.0.1", port: opts.nextPort, method: req.method, path: req.url, headers, agent },
      (up) => {
        const raw: string[] = [];
        for (let i = 0; i < up.rawHeaders.length; i += 2) {
          if (!HOP_BY_HOP.has(up.rawHeaders[i].toLowerCase())) raw.push(up.rawHeaders[i], up.rawHeaders[i + 1]);
        }
        res.writeHead(up.statusCode ?? 502, up.statusMessage, raw);
        up.pipe(res);
      },
    );
    upstream.on("error", () => {
      // the connection was closed as it was reused (Node's documented race): nothing was answered, so ask again
      if (retry && upstream.reusedSocket && !res.headersSent) return proxy(req, res, false);
      if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain; charset=utf-8", ...ANSWER_HEADERS }).end("The app is starting or restarting; try again in a moment.");
      else res.destroy();
    });
    res.once("close", () => {
      if (!res.writableFinished) upstream.destroy();
    });
    // nothing to stream (and, asked again, the request has ended already)
    if (hasNoBody(req)) upstream.end();
    else req.pipe(upstream);
  }

  const server = http.createServer((req, res) => {
    const path = (req.url ?? "").split("?", 1)[0];
    const failed = (e: unknown) => {
      console.error(e);
      if (!res.headersSent) res.writeHead(500, ANSWER_HEADERS).end();
    };
    const deferred = req.method === "GET" && !hasBody(req) ? DEFERRED_RESULT_PATH.exec(path) : null;
    if (req.method === "POST" && path === BULK_UPSERT_PATH) {
      bulkUpsert(req, res).catch(failed);
    } else if (deferred) {
      deferredResult(req, res, deferred[1]).catch(failed);
    } else {
      proxy(req, res);
    }
  });
  // like Next.js's own server: keep connections open a while for clients that reuse them
  server.keepAliveTimeout = 65_000;
  return server;
}
