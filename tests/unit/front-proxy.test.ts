// The front server's pass-through to Next.js. A keep-alive connection that
// Next.js closes just as the front server reuses it must not turn a page's
// script into a 502 (seen in CI: the page never started). Here the upstream
// drops every connection on its second request, the way a connection closed
// at that moment fails: a GET is asked again on a new connection and
// answered; a POST (not safe to send twice) gets the 502.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createFrontServer } from "@/lib/http/front-server";

let upstream: http.Server;
let front: http.Server;
let frontPort = 0;
const served: string[] = [];

beforeAll(async () => {
  upstream = http.createServer((req, res) => {
    const socket = req.socket as typeof req.socket & { requests?: number };
    socket.requests = (socket.requests ?? 0) + 1;
    if (socket.requests > 1) return socket.destroy(); // a reused connection fails before answering
    req.resume();
    req.on("end", () => {
      served.push(`${req.method} ${req.url}`);
      res.end(`ok ${req.url}`);
    });
  });
  await new Promise<void>((r) => upstream.listen(0, "127.0.0.1", r));
  front = createFrontServer({ nextPort: (upstream.address() as AddressInfo).port, trustedProxies: [] });
  await new Promise<void>((r) => front.listen(0, "127.0.0.1", r));
  frontPort = (front.address() as AddressInfo).port;
});
afterAll(async () => {
  front.closeAllConnections();
  upstream.closeAllConnections();
  await Promise.all([new Promise((r) => front.close(r)), new Promise((r) => upstream.close(r))]);
});

const get = (path: string, method = "GET", body?: string) =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port: frontPort, path, method, agent: false }, (res) => {
      let text = "";
      res.on("data", (c) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });

test("a GET whose reused upstream connection fails is answered from a new one", async () => {
  expect(await get("/a.js")).toEqual({ status: 200, body: "ok /a.js" });
  expect(await get("/b.js")).toEqual({ status: 200, body: "ok /b.js" }); // the first try went on the reused connection and failed
  expect(await get("/c.js")).toEqual({ status: 200, body: "ok /c.js" });
  expect(served).toEqual(["GET /a.js", "GET /b.js", "GET /c.js"]);
});

test("a POST on a failing reused connection is not sent twice: 502", async () => {
  served.length = 0;
  expect((await get("/first")).status).toBe(200); // leaves a connection to reuse
  const r = await get("/form", "POST", "x=1");
  expect(r.status).toBe(502);
  expect(served).toEqual(["GET /first"]);
});
