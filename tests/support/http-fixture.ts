import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

/** A local HTTP server for CSV-by-URL tests; routes by path. */
export async function startFixtureServer(
  routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void>,
): Promise<{ port: number; url(path: string, host?: string): string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const handler = routes[new URL(req.url ?? "/", "http://x").pathname];
    if (!handler) {
      res.statusCode = 404;
      res.end("not found");
      return;
    }
    handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  return {
    port,
    url: (path, host = "127.0.0.1") => `http://${host}:${port}${path}`,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
