import { createServer, type IncomingHttpHeaders } from "node:http";

export type Received = { id: string; headers: IncomingHttpHeaders; body: string; at: number };

/**
 * A local endpoint for webhook tests: records every POST (headers, body, when)
 * and answers `status()` after `delayMs()`; notes any delivery id that
 * arrives while a request with the same id is still open.
 */
export async function startReceiver(opts: { status?: () => number; delayMs?: () => number; host?: string } = {}) {
  const received: Received[] = [];
  const inFlight = new Set<string>();
  const overlaps: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const id = String(req.headers["webhook-id"] ?? "");
      if (inFlight.has(id)) overlaps.push(id);
      inFlight.add(id);
      received.push({ id, headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() });
      const done = () => inFlight.delete(id);
      res.on("close", done);
      setTimeout(() => {
        res.statusCode = opts.status?.() ?? 200;
        res.end("ok");
      }, opts.delayMs?.() ?? 0);
    });
  });
  await new Promise<void>((r) => server.listen(0, opts.host ?? "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  return {
    port,
    received,
    overlaps,
    url: (path = "/hook", host = "127.0.0.1") => `http://${host}:${port}${path}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
