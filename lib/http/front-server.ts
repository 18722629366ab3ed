// The front server: what `npm start` puts on the public port (scripts/front.ts).
// It answers POST /api/targets/bulk_upsert and GET /api/deferred_results/<id>
// itself, with plain node:http (the hot paths; docs/decisions/010), and passes
// every other request to the Next.js server on a loopback port through
// undici's pool (lib/http/front-proxy.ts; docs/decisions/018). It is the
// front door (docs/security.md): it refuses ambiguous framing, bounds every
// body before reading it, times out clients that stop sending, caps the
// requests one address has in flight to Next.js, and is the one place that
// says who the client is (lib/http/client-address.ts).
import "server-only";
import http from "node:http";
import { promisify } from "node:util";
import zlib from "node:zlib";
import { db } from "../db/client";
import { env } from "../env";
import { AppError } from "../errors";
import { bulkUpsertEndpoint } from "./bulk-upsert-endpoint";
import { clientOf, firstHeader, trustedProxies, type Client } from "./client-address";
import { deferredResultEndpoint } from "./deferred-result-endpoint";
import { errorBody } from "./errors";
import { bodyLimit, clientSlots, declaredLength, framingProblem } from "./front-guard";
import { BodyTooLarge, createUpstream, type Forward, type Upstream } from "./front-proxy";
import type { IncomingRequest } from "./read-json-body";

export const BULK_UPSERT_PATH = "/api/targets/bulk_upsert";
/** A deferred result's path with an id that needs no decoding (every id the app makes); any other goes to Next.js. */
const DEFERRED_RESULT_PATH = /^\/api\/deferred_results\/([A-Za-z0-9-]{1,64})$/;
/** Answers at least this long are gzipped for a client that accepts it (as Next.js does). */
const GZIP_MIN_BYTES = 1024;
const gzip = promisify(zlib.gzip);
/** The most of a refused body read (and thrown away) so that its sender sees the answer. */
const LINGER_MAX_BYTES = 64 * 1024 * 1024;
/** A client that sends no byte of its headers, or of its body, for this long is answered 408 and closed. */
export const CLIENT_IDLE_MS = 10_000;
/** A connection with nothing moving either way while its answer is made or read, for this long, is closed. */
const ANSWER_IDLE_MS = 300_000;
/** Bodies up to this size are read whole before Next.js sees the request, so a slow sender holds no connection there. */
const READ_FIRST_MAX_BYTES = 64 * 1024;
const HSTS = "max-age=31536000";

// The security headers of the front's own answers (next.config.js sets the
// same on what Next.js answers): these JSON answers are never run, shown,
// framed or kept by a cache (a deferred result names members).
const ANSWER_HEADERS: http.OutgoingHttpHeaders = {
  "x-content-type-options": "nosniff",
  "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
  "x-frame-options": "DENY",
  "referrer-policy": "same-origin",
  "cache-control": "no-store",
};

/** Headers every answer gets for this client: HSTS when it came over HTTPS. */
const transportHeaders = (client: Client): Record<string, string> => (client.proto === "https" ? { "strict-transport-security": HSTS } : {});

function fromNodeRequest(req: http.IncomingMessage): IncomingRequest {
  return {
    header: (name) => firstHeader(req.headers[name.toLowerCase()]) ?? null,
    readDeclared: () => (req.headers["content-length"] === undefined ? null : readWhole(req)),
    chunks: () => req,
  };
}

/** The whole body; node:http holds it to its declared Content-Length. */
async function readWhole(req: http.IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

const hasBody = (req: http.IncomingMessage) => req.headers["content-length"] !== undefined || req.headers["transfer-encoding"] !== undefined;

export type FrontServerOptions = {
  nextPort: number;
  trustedProxies: readonly string[];
  maxBodyBytes?: number;
  maxRequestsPerClient?: number;
  /** CLIENT_IDLE_MS unless set (tests). */
  clientIdleMs?: number;
};

/** One request and its answer, with who sent it. */
type Exchange = { req: http.IncomingMessage; res: http.ServerResponse; client: Client };

/** What the door needs for every request. */
type Door = {
  trusted: (ip: string) => boolean;
  maxBodyBytes: number;
  slots: ReturnType<typeof clientSlots>;
  upstream: Upstream;
  idleMs: number;
};

/**
 * Answers with the contract's error body. A body left unread is read to its
 * end and thrown away when its declared size is sane, so that a client still
 * sending sees the answer (nginx's lingering close; Node reads what is left
 * once the answer is sent, as body bytes, never as a request); otherwise,
 * or when `close` says so, the connection is closed after the answer.
 */
function refuse(x: Exchange, err: unknown, opts: { close?: boolean; headers?: http.OutgoingHttpHeaders } = {}): void {
  if (x.res.headersSent) return void x.res.destroy();
  const { status, body } = errorBody(err);
  answer(x, status, { "content-type": "application/json", ...opts.headers }, JSON.stringify(body), opts.close);
}

/** Sends one of the front's own answers, with the security headers; see refuse() for when it closes. */
function answer(x: Exchange, status: number, headers: http.OutgoingHttpHeaders, body: string | Buffer, close = false): void {
  const all = { ...headers, ...ANSWER_HEADERS, ...transportHeaders(x.client) };
  if (close || (!x.req.complete && (declaredLength(x.req) ?? Infinity) > LINGER_MAX_BYTES)) all.connection = "close";
  x.res.writeHead(status, all).end(body);
}

async function bulkUpsert(x: Exchange): Promise<void> {
  // refused before the body was read (401, 413, 415): see refuse()
  const { status, body } = await bulkUpsertEndpoint(db(), fromNodeRequest(x.req), x.client.ip);
  answer(x, status, { "content-type": "application/json" }, JSON.stringify(body));
}

async function deferredResult(x: Exchange, id: string): Promise<void> {
  const { status, body } = await deferredResultEndpoint(db(), id, firstHeader(x.req.headers.authorization) ?? null);
  const json = Buffer.from(JSON.stringify(body));
  const headers: http.OutgoingHttpHeaders = { "content-type": "application/json", vary: "accept-encoding" };
  const acceptsGzip = /\bgzip\b/i.test((firstHeader(x.req.headers["accept-encoding"]) ?? "").slice(0, 1024));
  if (acceptsGzip && json.byteLength >= GZIP_MIN_BYTES) answer(x, status, { ...headers, "content-encoding": "gzip" }, await gzip(json));
  else answer(x, status, headers, json);
}

async function proxy(door: Door, x: Exchange, limit: number): Promise<void> {
  const { req, res, client } = x;
  const release = door.slots.take(client.ip);
  if (!release) {
    const err = new AppError("too_many_requests", "Too many requests at once from your address; try again in a moment");
    // closed: an address over its cap is not kept waiting on for the rest of its body
    return refuse(x, err, { close: true, headers: { "retry-after": "1" } });
  }
  res.once("close", release);
  const declared = declaredLength(req);
  let body: Forward["body"] = null;
  if (!hasBody(req) || declared === 0) body = null;
  else if (declared !== null && declared <= READ_FIRST_MAX_BYTES) body = await readWhole(req);
  else body = { stream: req, limit };
  if (res.destroyed) return; // the client went away while its body was read
  try {
    await door.upstream.forward(req, res, { client, body, answerHeaders: transportHeaders(client) });
  } catch (e) {
    if (e instanceof BodyTooLarge) return refuse(x, tooLarge(limit), { close: true });
    if (res.headersSent || res.destroyed) return void res.destroy();
    answer(x, 502, { "content-type": "text/plain; charset=utf-8" }, "The app is starting or restarting; try again in a moment.");
  }
}

/** 408 and close when the body stops arriving; once it is in, only a long stall either way closes the connection. */
function watchIdle(x: Exchange, idleMs: number): void {
  const { req } = x;
  if (req.complete || !hasBody(req)) return void req.socket.setTimeout(ANSWER_IDLE_MS);
  req.setTimeout(idleMs, () => {
    refuse(x, new AppError("request_timeout", `No byte of the body arrived for ${idleMs / 1000} s`), { close: true });
    req.socket.destroySoon();
  });
  req.once("end", () => req.socket.setTimeout(ANSWER_IDLE_MS));
}

function handle(door: Door, req: http.IncomingMessage, res: http.ServerResponse, expectsContinue: boolean): void {
  const x: Exchange = { req, res, client: clientOf(req, door.trusted) };
  const failed = (e: unknown) => refuse(x, e, { close: true });
  const problem = framingProblem(req);
  if (problem) return refuse(x, new AppError("bad_request", problem), { close: true });
  const path = (req.url ?? "").split("?", 1)[0];
  const limit = bodyLimit(path, door.maxBodyBytes);
  const declared = declaredLength(req);
  watchIdle(x, door.idleMs);
  // a client waiting for 100 Continue sends nothing more: close after the answer
  if (declared !== null && declared > limit) return refuse(x, tooLarge(limit), { close: expectsContinue });
  if (expectsContinue) res.writeContinue();

  const deferred = req.method === "GET" ? DEFERRED_RESULT_PATH.exec(path) : null;
  if (req.method === "POST" && path === BULK_UPSERT_PATH) bulkUpsert(x).catch(failed);
  else if (deferred) deferredResult(x, deferred[1]).catch(failed);
  else proxy(door, x, limit).catch(failed);
}

export function createFrontServer(opts: FrontServerOptions): http.Server {
  const door: Door = {
    trusted: trustedProxies(opts.trustedProxies),
    maxBodyBytes: opts.maxBodyBytes ?? env().MAX_BODY_BYTES,
    slots: clientSlots(opts.maxRequestsPerClient ?? env().MAX_REQUESTS_PER_CLIENT),
    upstream: createUpstream(opts.nextPort),
    idleMs: opts.clientIdleMs ?? CLIENT_IDLE_MS,
  };
  const server = http.createServer(
    {
      // a client sending its headers this slowly is answered 408 and closed (checked every second)
      headersTimeout: door.idleMs,
      connectionsCheckingInterval: Math.min(1_000, door.idleMs),
    },
    (req, res) => handle(door, req, res, false),
  );
  // Expect: 100-continue: the checks above run before the client is told to send its body
  server.on("checkContinue", (req, res) => handle(door, req, res, true));
  // like Next.js's own server: keep connections open a while for clients that reuse them
  server.keepAliveTimeout = 65_000;
  server.on("close", () => void door.upstream.close());
  return server;
}

const tooLarge = (limit: number) =>
  new AppError("payload_too_large", `The body is larger than ${limit} bytes`, { extra: { limit_bytes: limit } });
