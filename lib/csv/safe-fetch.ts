// Fetches a CSV by URL without letting the URL reach inside our network
// (SSRF guard), with a time limit and a size limit.
//
// - Only http: and https:. The host is resolved once (dns.lookup, all
//   addresses); if ANY address is private, loopback, link-local (cloud
//   metadata), unspecified, multicast, broadcast, reserved or an IPv6 form
//   embedding one of those, the fetch is refused with csv_refused_address,
//   unless the URL's host name is listed in `allowedHosts`
//   (CSV_URL_ALLOWED_HOSTS). Literal IP hosts are checked the same way.
// - The connection goes to the addresses that were checked: the request gets
//   a custom `lookup` that answers with them, so a second DNS answer cannot
//   swap in another address (DNS rebinding). Host header and TLS SNI /
//   certificate check still use the original name.
// - Redirects are followed by hand (at most `maxRedirects`, default 5) and
//   every hop is checked again, including its scheme.
// - Time limit: `timeoutMs` is a budget for the time spent WAITING ON THE
//   NETWORK (DNS, connect, response headers, every body chunk). Time the
//   consumer spends between two reads (e.g. writing rows to the database)
//   is not counted: the body is streamed with backpressure, so counting it
//   would make large imports time out for reasons that are ours, not the
//   server's. A slow or stalled server still runs out of budget.
// - Size limit: more than `maxBytes` of body (after gzip/deflate/br
//   decoding, so a compression bomb is caught too) aborts the download with
//   csv_too_large; a Content-Length above the limit is refused up front.
// - Messages name the host but never the address a name resolved to, so the
//   API does not reveal the layout of our internal DNS.
import "server-only";
import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import { pipeline, type Readable } from "node:stream";
import zlib from "node:zlib";
import { AppError } from "../errors";

export type SafeFetchOptions = { allowedHosts: string[]; timeoutMs: number; maxBytes: number; maxRedirects?: number };

export type Address = { address: string; family: 4 | 6 };

// ---------------------------------------------------------------------------
// Address classification

function parseIPv4(ip: string): number[] | null {
  if (!net.isIPv4(ip)) return null;
  return ip.split(".").map(Number);
}

function parseIPv6(input: string): number[] | null {
  let s = input.trim().toLowerCase();
  if (s.startsWith("[") && s.endsWith("]")) s = s.slice(1, -1);
  const zone = s.indexOf("%");
  if (zone >= 0) s = s.slice(0, zone);
  if (!net.isIPv6(s)) return null;
  const hextets: number[] = [];
  const pushPart = (part: string): boolean => {
    if (part.includes(".")) {
      const v4 = parseIPv4(part);
      if (!v4) return false;
      hextets.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      return true;
    }
    if (!/^[0-9a-f]{1,4}$/.test(part)) return false;
    hextets.push(parseInt(part, 16));
    return true;
  };
  const halves = s.split("::");
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  for (const p of head) if (!pushPart(p)) return null;
  const headLen = hextets.length;
  for (const p of tail) if (!pushPart(p)) return null;
  if (halves.length === 2) {
    const missing = 8 - hextets.length;
    if (missing < 0) return null;
    hextets.splice(headLen, 0, ...new Array<number>(missing).fill(0));
  }
  if (hextets.length !== 8) return null;
  const bytes: number[] = [];
  for (const h of hextets) bytes.push(h >> 8, h & 0xff);
  return bytes;
}

function classifyIPv4([a, b, c, d]: number[]): string | null {
  if (a === 0) return "unspecified (0.0.0.0/8)";
  if (a === 10) return "private (10.0.0.0/8)";
  if (a === 100 && (b & 0xc0) === 64) return "shared carrier-grade NAT (100.64.0.0/10)";
  if (a === 127) return "loopback (127.0.0.0/8)";
  if (a === 169 && b === 254) return "link-local (169.254.0.0/16, where cloud metadata services live)";
  if (a === 172 && (b & 0xf0) === 16) return "private (172.16.0.0/12)";
  if (a === 192 && b === 0 && c === 0) return "IETF protocol assignment (192.0.0.0/24)";
  if (a === 192 && b === 0 && c === 2) return "documentation (192.0.2.0/24)";
  if (a === 192 && b === 88 && c === 99) return "6to4 relay anycast (192.88.99.0/24)";
  if (a === 192 && b === 168) return "private (192.168.0.0/16)";
  if (a === 198 && (b & 0xfe) === 18) return "benchmarking (198.18.0.0/15)";
  if (a === 198 && b === 51 && c === 100) return "documentation (198.51.100.0/24)";
  if (a === 203 && b === 0 && c === 113) return "documentation (203.0.113.0/24)";
  if (a >= 224 && a <= 239) return "multicast (224.0.0.0/4)";
  if (a === 255 && b === 255 && c === 255 && d === 255) return "broadcast (255.255.255.255)";
  if (a >= 240) return "reserved (240.0.0.0/4)";
  return null;
}

function classifyIPv6(x: number[]): string | null {
  const zeroUpTo = (n: number) => x.slice(0, n).every((v) => v === 0);
  if (zeroUpTo(16)) return "unspecified (::)";
  if (zeroUpTo(15) && x[15] === 1) return "loopback (::1)";
  if (zeroUpTo(10) && x[10] === 0xff && x[11] === 0xff) {
    const inner = classifyIPv4(x.slice(12));
    // An IPv4-mapped address is the IPv4 address itself on a dual-stack socket.
    return inner ? `IPv4-mapped ${inner}` : null;
  }
  if (zeroUpTo(12)) return "IPv4-compatible IPv6 (::/96, deprecated)";
  if (x[0] === 0x00 && x[1] === 0x64 && x[2] === 0xff && x[3] === 0x9b) {
    if (x.slice(4, 12).every((v) => v === 0)) {
      const inner = classifyIPv4(x.slice(12));
      return inner ? `NAT64 (64:ff9b::/96) of ${inner}` : null;
    }
    if (x[4] === 0x00 && x[5] === 0x01) return "local-use NAT64 (64:ff9b:1::/48)";
    return "reserved";
  }
  if (x[0] === 0x20 && x[1] === 0x02) {
    const inner = classifyIPv4(x.slice(2, 6));
    return inner ? `6to4 (2002::/16) of ${inner}` : null;
  }
  if (x[0] === 0x01 && x[1] === 0x00 && x.slice(2, 8).every((v) => v === 0)) return "discard-only (100::/64)";
  if ((x[0] & 0xfe) === 0xfc) return "private, unique local (fc00::/7)";
  if (x[0] === 0xfe && (x[1] & 0xc0) === 0x80) return "link-local (fe80::/10)";
  if (x[0] === 0xfe && (x[1] & 0xc0) === 0xc0) return "site-local (fec0::/10, deprecated)";
  if (x[0] === 0xff) return "multicast (ff00::/8)";
  if ((x[0] & 0xe0) !== 0x20) return "reserved (outside global unicast 2000::/3)";
  if (x[0] === 0x20 && x[1] === 0x01 && x[2] === 0x0d && x[3] === 0xb8) return "documentation (2001:db8::/32)";
  if (x[0] === 0x20 && x[1] === 0x01 && x[2] === 0x00 && (x[3] & 0xfe) === 0x00) {
    return "IETF special-purpose, e.g. Teredo (2001::/23)";
  }
  if (x[0] === 0x3f && x[1] === 0xff && (x[2] & 0xf0) === 0) return "documentation (3fff::/20)";
  return null;
}

/**
 * Why an address must not be fetched from ("loopback (127.0.0.0/8)", ...), or
 * null for a public address. Anything that is not an IP address is refused.
 */
export function forbiddenAddressReason(ip: string): string | null {
  const v4 = parseIPv4(ip.trim());
  if (v4) return classifyIPv4(v4);
  const v6 = parseIPv6(ip);
  if (v6) return classifyIPv6(v6);
  return "not an IP address";
}

export function isForbiddenAddress(ip: string): boolean {
  return forbiddenAddressReason(ip) !== null;
}

// ---------------------------------------------------------------------------
// Helpers

/** Host name as compared with allowedHosts: lower-case, no brackets, no trailing dot. */
export function normaliseHost(h: string): string {
  let s = h.trim().toLowerCase();
  if (s.startsWith("[") && s.endsWith("]")) s = s.slice(1, -1);
  if (s.endsWith(".")) s = s.slice(0, -1);
  return s;
}

function formatSeconds(ms: number): string {
  return String(Math.round((ms / 1000) * 1000) / 1000);
}

function formatSize(bytes: number): string {
  const MB = 1024 * 1024;
  if (bytes >= MB) return `${Math.round((bytes / MB) * 100) / 100} MB`;
  if (bytes >= 1024) return `${Math.round((bytes / 1024) * 100) / 100} KB`;
  return `${bytes} bytes`;
}

function timeoutError(host: string, timeoutMs: number): AppError {
  return new AppError("csv_timeout", `The CSV at ${host} did not finish downloading within ${formatSeconds(timeoutMs)} seconds`, {
    extra: { timeout_ms: timeoutMs },
  });
}

function tooLargeError(host: string, maxBytes: number): AppError {
  return new AppError(
    "csv_too_large",
    `The CSV at ${host} is larger than ${formatSize(maxBytes)}, the most a CSV by URL may be`,
    { extra: { limit_bytes: maxBytes } },
  );
}

function unreachable(message: string): AppError {
  return new AppError("csv_unreachable", message);
}

/**
 * A system error's own words without the addresses in them ("connect
 * ETIMEDOUT 10.1.2.3:443", TLS name mismatches): the host is named, never
 * where it resolved to. Cut to a bound first, then scrubbed.
 */
export function withoutAddresses(message: string): string {
  return message
    .slice(0, 300)
    .replace(/\b\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?\b/g, "<address>")
    .replace(/\[?\b[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}\]?(?::\d{1,5})?/gi, "<address>");
}

export function networkError(host: string, e: unknown, phase: "connect" | "body", received = 0): AppError {
  if (e instanceof AppError) return e;
  const raw = e as NodeJS.ErrnoException;
  const err = { code: raw?.code, message: withoutAddresses(raw?.message ?? String(e)) };
  const code = err.code ?? "";
  if (phase === "body") {
    if (code.startsWith("Z_") || /incorrect header|invalid|unexpected end of file/i.test(err.message)) {
      return unreachable(`The CSV at ${host} could not be decompressed: ${err.message}`);
    }
    return unreachable(`The download of the CSV at ${host} broke off after ${received} bytes (${code || err.message || "connection closed"})`);
  }
  if (code === "ECONNREFUSED") return unreachable(`${host} refused the connection`);
  if (code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "ENODATA") return unreachable(`The host ${host} could not be found`);
  if (code === "ECONNRESET") return unreachable(`${host} closed the connection without answering`);
  if (code === "EHOSTUNREACH" || code === "ENETUNREACH") return unreachable(`${host} cannot be reached from here`);
  if (code.startsWith("ERR_TLS") || code.includes("CERT") || code.startsWith("ERR_SSL") || /certificate|ssl|tls/i.test(err.message)) {
    return unreachable(`The secure connection to ${host} failed: ${err.message || code}`);
  }
  return unreachable(`Could not download the CSV from ${host}: ${err.message}`);
}

/**
 * A time budget spent only while waiting on the network. `race` waits for a
 * promise for at most the remaining budget; when it runs out it calls
 * `onTimeout` (which aborts the request) and rejects with csv_timeout.
 */
class Budget {
  private remaining: number;
  constructor(private readonly timeoutMs: number, private readonly host: () => string) {
    this.remaining = timeoutMs;
  }

  race<T>(p: Promise<T>, onTimeout: () => void): Promise<T> {
    if (this.remaining <= 0) {
      p.catch(() => {});
      onTimeout();
      return Promise.reject(timeoutError(this.host(), this.timeoutMs));
    }
    const started = Date.now();
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => {
        if (settled) return;
        settled = true;
        this.remaining = 0;
        const err = timeoutError(this.host(), this.timeoutMs);
        try {
          onTimeout();
        } finally {
          reject(err);
        }
      }, this.remaining);
      const done = () => {
        clearTimeout(timer);
        this.remaining -= Date.now() - started;
      };
      p.then(
        (v) => {
          if (settled) return;
          settled = true;
          done();
          resolve(v);
        },
        (e) => {
          if (settled) return;
          settled = true;
          done();
          reject(e);
        },
      );
    });
  }
}

export async function resolveHost(host: string): Promise<Address[]> {
  const family = net.isIP(host);
  if (family) return [{ address: host, family: family as 4 | 6 }];
  const found = await dns.promises.lookup(host, { all: true, verbatim: true });
  if (!found.length) throw Object.assign(new Error("no addresses"), { code: "ENOTFOUND" });
  return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
}

type Answer = { res: http.IncomingMessage; req: http.ClientRequest };

/**
 * Why a host's resolved addresses must not be fetched from ("it resolves to
 * a loopback (127.0.0.0/8) address"), or null when every one is public or
 * `allowed` names the host. The one address rule: CSV by URL and webhooks.
 */
export function refusedAddress(host: string, addresses: readonly Address[], allowed: ReadonlySet<string>): string | null {
  if (allowed.has(host)) return null;
  for (const a of addresses) {
    const why = forbiddenAddressReason(a.address);
    if (why) {
      const what = net.isIP(host) ? `${host} is` : `it resolves to`;
      const article = /^[aeiou]/i.test(why) ? "an" : "a";
      return `${what} ${article} ${why} address`;
    }
  }
  return null;
}

/** A `lookup` that always answers with the addresses that were checked (no second lookup: no DNS rebinding). */
export function pinnedLookup(host: string, addresses: readonly Address[]): net.LookupFunction {
  return (_hostname, options, callback) => {
    const usable = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
    if (!usable.length) {
      callback(Object.assign(new Error(`no IPv${options.family} address for ${host}`), { code: "ENOTFOUND" }), "", 0);
      return;
    }
    if (options.all) callback(null, usable.map((a) => ({ address: a.address, family: a.family })));
    else callback(null, usable[0].address, usable[0].family);
  };
}

function request(url: URL, host: string, addresses: Address[]): { promise: Promise<Answer>; abort: () => void } {
  const lookup = pinnedLookup(host, addresses);
  const mod = url.protocol === "https:" ? https : http;
  const options: https.RequestOptions = {
    method: "GET",
    hostname: host,
    port: url.port ? Number(url.port) : undefined,
    path: `${url.pathname || "/"}${url.search}`,
    headers: {
      accept: "text/csv, text/plain;q=0.9, */*;q=0.5",
      "accept-encoding": "gzip, deflate, br",
      "user-agent": "target-import/1 (csv_url fetch)",
    },
    agent: false, // no pooled socket that might have been opened for another address
    lookup,
  };
  if (url.username || url.password) options.auth = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  let req: http.ClientRequest | undefined;
  const promise = new Promise<Answer>((resolve, reject) => {
    req = mod.request(options, (res) => resolve({ res, req: req! }));
    req.on("error", reject);
    req.end();
  });
  return { promise, abort: () => req?.destroy() };
}

function decodedBody(res: http.IncomingMessage): Readable {
  const enc = String(res.headers["content-encoding"] ?? "").trim().toLowerCase();
  const decoder =
    enc === "gzip" || enc === "x-gzip"
      ? zlib.createGunzip()
      : enc === "deflate"
        ? zlib.createInflate()
        : enc === "br"
          ? zlib.createBrotliDecompress()
          : null;
  if (!decoder) return res;
  pipeline(res, decoder, () => {}); // errors surface through `decoder`
  return decoder;
}

async function* streamBody(
  res: http.IncomingMessage,
  host: string,
  budget: Budget,
  maxBytes: number,
): AsyncGenerator<Uint8Array, void, undefined> {
  const body = decodedBody(res);
  const it = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let received = 0;
  let finished = false;
  const abort = () => {
    body.destroy();
    res.destroy();
  };
  try {
    for (;;) {
      let step: IteratorResult<Buffer>;
      try {
        step = await budget.race(it.next(), abort);
      } catch (e) {
        throw networkError(host, e, "body", received);
      }
      if (step.done) {
        finished = true;
        return;
      }
      received += step.value.length;
      if (received > maxBytes) throw tooLargeError(host, maxBytes);
      yield step.value;
    }
  } finally {
    if (!finished) abort(); // consumer stopped early, an error, or a limit: drop the connection
  }
}

// ---------------------------------------------------------------------------

/**
 * Opens a CSV URL and returns its body as a stream of byte chunks. Checks,
 * redirects, status and headers are dealt with before this resolves; the
 * time and size limits keep applying while the body is read, as AppErrors
 * thrown from the iterator.
 */
export async function openCsvUrl(url: string, opts: SafeFetchOptions): Promise<AsyncIterable<Uint8Array>> {
  const maxRedirects = opts.maxRedirects ?? 5;
  const allowed = new Set(opts.allowedHosts.map(normaliseHost).filter(Boolean));
  let current: URL;
  try {
    current = new URL(url);
  } catch {
    throw unreachable(`The CSV URL is not a valid URL`);
  }
  let host = normaliseHost(current.hostname);
  const budget = new Budget(opts.timeoutMs, () => host);

  for (let hop = 0; ; hop++) {
    host = normaliseHost(current.hostname);
    const via = hop > 0 ? " (reached by a redirect)" : "";
    if (current.protocol !== "http:" && current.protocol !== "https:") {
      throw new AppError(
        "csv_refused_address",
        `Refusing to fetch a "${current.protocol.replace(/:$/, "")}" URL${via}; only http and https URLs are allowed`,
      );
    }
    if (!host) throw unreachable(`The CSV URL has no host`);

    let addresses: Address[];
    try {
      addresses = await budget.race(resolveHost(host), () => {});
    } catch (e) {
      throw networkError(host, e, "connect");
    }
    const refused = refusedAddress(host, addresses, allowed);
    if (refused) {
      throw new AppError(
        "csv_refused_address",
        `Refusing to fetch from ${host}${via}: ${refused}, which a CSV URL may not point to unless CSV_URL_ALLOWED_HOSTS names the host`,
        { extra: { host } },
      );
    }

    const r = request(current, host, addresses);
    let answer: Answer;
    try {
      answer = await budget.race(r.promise, r.abort);
    } catch (e) {
      throw networkError(host, e, "connect");
    }
    const { res } = answer;
    const status = res.statusCode ?? 0;

    if (status >= 300 && status < 400 && status !== 304 && res.headers.location) {
      res.destroy();
      if (hop >= maxRedirects) throw unreachable(`The CSV URL redirected more than ${maxRedirects} times`);
      try {
        current = new URL(res.headers.location, current);
      } catch {
        throw unreachable(`${host} redirected to an invalid URL`);
      }
      continue;
    }
    if (status < 200 || status >= 300) {
      res.destroy();
      const text = res.statusMessage ? ` ${res.statusMessage}` : "";
      throw new AppError("csv_unreachable", `${host}${via} answered HTTP ${status}${text} instead of the CSV`, {
        extra: { http_status: status },
      });
    }
    const declared = Number(res.headers["content-length"]);
    if (!res.headers["content-encoding"] && Number.isFinite(declared) && declared > opts.maxBytes) {
      res.destroy();
      throw tooLargeError(host, opts.maxBytes);
    }
    return streamBody(res, host, budget, opts.maxBytes);
  }
}
