// One HTTP request with node:http, timed from just before it is sent to the
// end of the response body; a request over the limit is abandoned.
import http from "node:http";

export type Res = { status: number; headers: http.IncomingHttpHeaders; body: string; ms: number };

export class TimeoutError extends Error {
  constructor(public ms: number) {
    super(`no complete response within ${ms} ms`);
  }
}

export type ReqOptions = {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  agent?: http.Agent;
  timeoutMs?: number;
};

/** A keep-alive agent (one per client keeps each client on its own connection). */
export const keepAliveAgent = (maxSockets = 1) => new http.Agent({ keepAlive: true, maxSockets });

export function request(url: string, opts: ReqOptions = {}): Promise<Res> {
  const u = new URL(url);
  const headers: Record<string, string | number> = { ...opts.headers };
  if (opts.body !== undefined) headers["content-length"] = Buffer.byteLength(opts.body);
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let done = false;
    const req = http.request(
      { host: u.hostname, port: u.port, path: u.pathname + u.search, method: opts.method ?? "GET", headers, agent: opts.agent },
      (res) => {
        const parts: Buffer[] = [];
        res.on("data", (b: Buffer) => parts.push(b));
        res.on("end", () => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts).toString("utf8"), ms: performance.now() - t0 });
        });
        res.on("error", fail);
      },
    );
    function fail(e: Error) {
      if (done) return;
      done = true;
      clearTimeout(timer);
      reject(e);
    }
    const limit = opts.timeoutMs ?? 0;
    const timer = limit > 0 ? setTimeout(() => { fail(new TimeoutError(limit)); req.destroy(); }, limit) : undefined;
    req.on("error", fail);
    req.end(opts.body);
  });
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
