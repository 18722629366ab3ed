// The front server's pass-through to the Next.js app on a loopback port,
// through undici's connection pool (docs/decisions/018). undici writes every
// request it sends itself, from a method, a path, headers and a body: a body
// goes with its Content-Length, or chunked, whatever the method, and undici
// refuses a body that does not match its declared length. So nothing a client
// sent can be read upstream as the start of another request; only what the
// front server has already parsed as one request is passed on as one.
import "server-only";
import type http from "node:http";
import { type Readable, Transform, pipeline } from "node:stream";
import { Pool } from "undici";
import type { IncomingHttpHeaders } from "undici/types/header";
import type { Client } from "./client-address";

/** Idle connections to Next.js close after this long, before Next.js closes them (its keep-alive timeout is 5 s). */
const UPSTREAM_IDLE_MS = 4_000;
/** At most this many connections to Next.js at once (the per-client cap keeps any one address to a share of them). */
const UPSTREAM_CONNECTIONS = 256;

// Headers that belong to one connection, not to the message (RFC 9110 7.6.1),
// and Expect, which the front server has answered already.
const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "expect"]);

/** A streamed body passed its limit; the request upstream is aborted. */
export class BodyTooLarge extends Error {}

/** Headers to pass on, without hop-by-hop headers nor those the Connection header names. */
function passedHeaders(headers: http.IncomingHttpHeaders | IncomingHttpHeaders): Record<string, string | string[]> {
  const named = String(headers.connection ?? "")
    .toLowerCase()
    .split(",", 32)
    .map((s) => s.trim());
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || named.includes(name)) continue;
    out[name] = value;
  }
  return out;
}

/**
 * The body as it arrives, failing with BodyTooLarge once it passes `limit`
 * bytes. The client's request is then left unread, not destroyed, so that
 * the front server can still answer 413.
 */
function bounded(req: Readable, limit: number): Readable {
  let size = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.byteLength;
      done(size > limit ? new BodyTooLarge() : null, chunk);
    },
  });
  req.once("error", (e) => counter.destroy(e));
  return req.pipe(counter); // an error in the counter unpipes it
}

/** How undici fails a request whose pooled connection the other side had closed. */
const closedAsReused = (e: unknown) => ["UND_ERR_SOCKET", "ECONNRESET"].includes((e as { code?: string }).code ?? "");

export type Forward = {
  client: Client;
  /** The body read whole already, a stream to pass on within `limit`, or none. */
  body: Buffer | { stream: Readable; limit: number } | null;
  /** Headers added to the answer (HSTS). */
  answerHeaders: Record<string, string>;
};

export type Upstream = {
  /** Passes the request on and streams the answer back; rejects, answering nothing, when nothing came back. */
  forward(req: http.IncomingMessage, res: http.ServerResponse, f: Forward): Promise<void>;
  close(): Promise<void>;
};

export function createUpstream(nextPort: number): Upstream {
  const pool = new Pool(`http://127.0.0.1:${nextPort}`, {
    connections: UPSTREAM_CONNECTIONS,
    keepAliveTimeout: UPSTREAM_IDLE_MS,
    keepAliveMaxTimeout: UPSTREAM_IDLE_MS,
  });

  async function once(req: http.IncomingMessage, res: http.ServerResponse, f: Forward): Promise<void> {
    const headers = passedHeaders(req.headers);
    for (const name of Object.keys(headers)) if (name.startsWith("x-forwarded-")) delete headers[name];
    headers["x-forwarded-for"] = f.client.ip;
    headers["x-forwarded-proto"] = f.client.proto;
    // a client that goes away aborts the request upstream
    const abort = new AbortController();
    const onClose = () => !res.writableFinished && abort.abort();
    res.once("close", onClose);
    const body = f.body === null ? null : Buffer.isBuffer(f.body) ? f.body : bounded(f.body.stream, f.body.limit);
    try {
      const up = await pool.request({ method: req.method as "GET", path: req.url ?? "/", headers, body, signal: abort.signal });
      const answer: Record<string, string | string[]> = { ...passedHeaders(up.headers), ...f.answerHeaders };
      res.writeHead(up.statusCode, answer);
      await new Promise<void>((resolve) => pipeline(up.body, res, () => resolve()));
    } finally {
      res.off("close", onClose);
    }
  }

  return {
    async forward(req, res, f) {
      try {
        await once(req, res, f);
      } catch (e) {
        // A connection closed by Next.js just as it was reused fails before
        // any answer; a GET or HEAD (never with a body here) is safe to send once more.
        const safe = req.method === "GET" || req.method === "HEAD";
        if (!safe || !closedAsReused(e) || res.headersSent || res.destroyed) throw e;
        await once(req, res, f);
      }
    },
    close: () => pool.close(),
  };
}
