// The engine gives way to a busy front server (lib/queue/front-pressure.ts):
// it waits before a batch while the front's last report says busy, until a
// calm report or at most maxWaitMs; stale or malformed reports count for nothing.
import { describe, expect, test } from "vitest";
import { FrontPressure, reportFrontLoad, type FrontLoadMessage } from "@/lib/queue/front-pressure";

const busy = { type: "front-load", busy: 0.95 };
const calm = { type: "front-load", busy: 0.2 };

async function timed(p: Promise<void>): Promise<number> {
  const t0 = performance.now();
  await p;
  return performance.now() - t0;
}

describe("FrontPressure", () => {
  test("no report, or a calm one: no wait", async () => {
    const p = new FrontPressure({ maxWaitMs: 500 });
    expect(await timed(p.giveWay())).toBeLessThan(50);
    p.receive(calm);
    expect(await timed(p.giveWay())).toBeLessThan(50);
    p.receive({ type: "front-load", busy: 0.8 }); // one client sending back to back: not a burst
    expect(await timed(p.giveWay())).toBeLessThan(50);
  });

  test("a busy front: waits for at most maxWaitMs", async () => {
    const p = new FrontPressure({ maxWaitMs: 300 });
    p.receive(busy);
    const ms = await timed(p.giveWay());
    expect(ms).toBeGreaterThanOrEqual(290);
    expect(ms).toBeLessThan(1_000);
  });

  test("a calm report ends the wait", async () => {
    const p = new FrontPressure({ maxWaitMs: 5_000 });
    p.receive(busy);
    const waiting = timed(p.giveWay());
    setTimeout(() => p.receive(busy), 50); // still busy: keeps waiting
    setTimeout(() => p.receive(calm), 150);
    const ms = await waiting;
    expect(ms).toBeGreaterThanOrEqual(140);
    expect(ms).toBeLessThan(1_000);
  });

  test("a report older than staleAfterMs, or a malformed one, says nothing", async () => {
    const p = new FrontPressure({ maxWaitMs: 2_000, staleAfterMs: 100 });
    p.receive(busy);
    await new Promise((r) => setTimeout(r, 150));
    expect(await timed(p.giveWay())).toBeLessThan(50);
    for (const m of [{ type: "front-load", busy: 2 }, { type: "other", busy: 0.99 }, "busy", null, { type: "front-load" }]) p.receive(m);
    expect(p.isBusy()).toBe(false);
  });
});

test("the front reports its event-loop utilisation; a busy loop shows as busy", async () => {
  const got: FrontLoadMessage[] = [];
  const stop = reportFrontLoad((m) => got.push(m), 50);
  try {
    await new Promise((r) => setTimeout(r, 120)); // idle
    const idle = got.length;
    expect(idle).toBeGreaterThanOrEqual(1);
    const end = performance.now() + 200;
    while (performance.now() < end); // the loop is blocked
    await new Promise((r) => setTimeout(r, 60));
    expect(got.slice(0, idle).every((m) => m.busy < 0.7)).toBe(true);
    expect(Math.max(...got.slice(idle).map((m) => m.busy))).toBeGreaterThan(0.7);
  } finally {
    stop();
  }
});
