import { createServer } from "node:net";

/**
 * A TCP port free on 127.0.0.1 right now (the API tests and the bench start
 * the app on one). Drawn below Linux's ephemeral range (32768–60999), as
 * scripts/start.mjs draws the web app's: a port the kernel hands out there
 * may be taken by an outgoing connection before the app binds it.
 */
export async function freePort(): Promise<number> {
  for (let tries = 0; ; tries++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((res) => {
      const srv = createServer().once("error", () => res(false));
      srv.listen(port, "127.0.0.1", () => srv.close(() => res(true)));
    });
    if (free) return port;
    if (tries === 100) throw new Error("no free port between 20000 and 32000");
  }
}
