// The front door of the real `npm start`, from raw sockets (issue 16): every
// ambiguous request is refused or answered as exactly the requests its
// client sent, and a second client on its own connection then gets its own
// answer and no other; no smuggled sign-in reaches the app; slow senders
// from one address starve no one else; bodies are refused before they are
// read; HSTS over HTTPS. (tests/unit/front-door.test.ts counts what reaches
// the app behind the front server exactly, with a recording upstream.)
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { signInFailureKey } from "@/lib/auth/sign-in-limit";
import { AMBIGUOUS_REQUESTS, SMUGGLED, SMUGGLED_EMAIL } from "../support/ambiguous-requests";
import { startAppServer, waitForResult, type AppServer } from "../support/app-server";
import { rawExchange, slowSender, statuses } from "../support/raw-http";
import { DIALECTS } from "../support/test-db";

const OTHER_CLIENT = "127.0.0.2";

describe("the front door of npm start", () => {
  let app: AppServer;
  let port = 0;
  beforeAll(async () => {
    // behind a TLS proxy on 127.0.0.1, as a deployment would be
    app = await startAppServer(DIALECTS[0], { TRUSTED_PROXIES: "127.0.0.1" });
    port = Number(new URL(app.baseUrl).port);
  });
  afterAll(async () => app?.stop());

  const smuggledSignIns = () => app.t.db.prisma.staffVerification.count({ where: { identifier: signInFailureKey(SMUGGLED_EMAIL) } });

  /** Another client, on its own connection, asks for the sign-in page and gets exactly that. */
  async function secondClientGetsOwnAnswer(): Promise<void> {
    const raw = await rawExchange(port, "GET /login HTTP/1.1\r\nHost: app\r\nConnection: close\r\n\r\n", { localAddress: OTHER_CLIENT, waitMs: 5_000 });
    expect(statuses(raw)).toEqual([200]);
    expect(raw).toMatch(/content-type: text\/html/i);
    expect(raw).toContain("Sign in");
  }

  test("each ambiguous request: refused, or answered once per request sent; the next client's answer is its own", async () => {
    for (const c of AMBIGUOUS_REQUESTS) {
      const raw = await rawExchange(port, c.bytes, { waitMs: 5_000 });
      const expected = c.expect === "refused" ? [400] : c.expect.map(() => expect.any(Number));
      expect({ case: c.name, statuses: statuses(raw) }).toEqual({ case: c.name, statuses: expected });
      expect(raw).not.toMatch(/evil\.example/);
      await secondClientGetsOwnAnswer();
    }
    expect(await smuggledSignIns()).toBe(0);
    // the same sign-in sent as a request of its own is counted: the check above could have seen one
    const direct = await rawExchange(port, SMUGGLED.replace("Host: app\r\n", "Host: app\r\nConnection: close\r\n"), { waitMs: 5_000 });
    expect(statuses(direct)).toEqual([401]);
    expect(await smuggledSignIns()).toBe(1);
  }, 120_000);

  test("300 slow bodies from one address: it is held to its cap, while another client's page, bulk upsert and poll each answer within 1 s", async () => {
    const head = "POST /login HTTP/1.1\r\nHost: app\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\n";
    const slow = Array.from({ length: 300 }, () => slowSender(port, head, { everyMs: 2_000 }));
    try {
      await new Promise((r) => setTimeout(r, 1_500)); // all connected and sending
      const timed = async <T>(what: string, f: () => Promise<T>) => {
        const started = performance.now();
        const value = await f();
        return { what, value, ms: performance.now() - started };
      };
      const page = await timed("GET /login", () => rawExchange(port, "GET /login HTTP/1.1\r\nHost: app\r\nConnection: close\r\n\r\n", { localAddress: OTHER_CLIENT, waitMs: 5_000 }));
      const records = [{ external_id: "FD1", email: "fd1@example.org" }];
      const body = JSON.stringify({ records });
      const upsert = await timed("bulk upsert", () =>
        rawExchange(
          port,
          `POST /api/targets/bulk_upsert HTTP/1.1\r\nHost: app\r\nAuthorization: Bearer ${app.token}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
          { localAddress: OTHER_CLIENT, waitMs: 5_000 },
        ),
      );
      const id = /"deferred_result_id":"([^"]+)"/.exec(upsert.value)?.[1];
      const poll = await timed("poll", () =>
        rawExchange(port, `GET /api/deferred_results/${id} HTTP/1.1\r\nHost: app\r\nAuthorization: Bearer ${app.token}\r\nConnection: close\r\n\r\n`, { localAddress: OTHER_CLIENT, waitMs: 5_000 }),
      );
      expect(statuses(page.value)).toEqual([200]);
      expect(statuses(upsert.value)).toEqual([200]);
      expect(statuses(poll.value)).toEqual([200]);
      for (const t of [page, upsert, poll]) expect({ what: t.what, under1s: t.ms < 1_000 }).toEqual({ what: t.what, under1s: true });
      // the slow address: the first 64 are held open, the rest refused at once
      const refused = slow.filter((s) => statuses(s.received()).includes(429)).length;
      expect(refused).toBe(300 - 64);
      expect((await waitForResult(app, id!)).result.created).toBe(1);
    } finally {
      for (const s of slow) s.stop();
    }
  }, 60_000);

  test("a 100 MB body to /api/auth/sign-out is refused with 413 before it is read", async () => {
    const raw = await rawExchange(port, "POST /api/auth/sign-out HTTP/1.1\r\nHost: app\r\nContent-Type: application/json\r\nContent-Length: 104857600\r\n\r\n{", { waitMs: 5_000 });
    expect(statuses(raw)).toEqual([413]);
    expect(raw).toContain('"code":"payload_too_large"');
  });

  test("a client that stops sending its headers is closed with 408 after about 10 s", async () => {
    const started = Date.now();
    const raw = await rawExchange(port, "GET /login HTTP/1.1\r\nHost: app\r\n", { waitMs: 15_000 });
    expect(statuses(raw)).toEqual([408]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(9_000);
    expect(Date.now() - started).toBeLessThan(13_000);
  }, 20_000);

  test("over HTTPS (X-Forwarded-Proto from the trusted proxy): HSTS on pages, API answers and the front's own answers; member data is not cached", async () => {
    const ask = (path: string, proto: string) =>
      rawExchange(port, `GET ${path} HTTP/1.1\r\nHost: app\r\nX-Forwarded-Proto: ${proto}\r\nAuthorization: Bearer ${app.token}\r\nConnection: close\r\n\r\n`);
    for (const path of ["/login", "/api/health", "/api/deferred_results/nope", "/api/targets/nobody"]) {
      expect(await ask(path, "https")).toMatch(/^strict-transport-security: max-age=31536000\r$/im);
      expect(await ask(path, "http")).not.toMatch(/strict-transport-security/i);
    }
    expect(await ask("/api/deferred_results/nope", "https")).toMatch(/^cache-control: no-store\r$/im);
  });
});
