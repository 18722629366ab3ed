// The engine gives way to the front server on the same machine. They share
// its cores: the engine runs at nice 10, but the PostgreSQL backend it keeps
// busy does not, so under a burst of submits merging took CPU from accepting
// (docs/decisions/017-engine-gives-way.md). The front reports how busy its
// event loop is (through `npm start`, over IPC); while it is busy, the engine
// waits before each batch, at most `maxWaitMs`, so merging slows down under
// a burst of requests but never stops.
import "server-only";
import { performance } from "node:perf_hooks";
import { z } from "zod";

export const frontLoadMessage = z.object({
  type: z.literal("front-load"),
  /** The front's event-loop utilisation over its last report interval, 0–1. */
  busy: z.number().min(0).max(1),
});
export type FrontLoadMessage = z.infer<typeof frontLoadMessage>;

export type FrontPressureOptions = {
  /** The front counts as busy above this utilisation. */
  busyAbove?: number;
  /** A report older than this says nothing (the front stopped reporting). */
  staleAfterMs?: number;
  /** Longest wait before one batch. */
  maxWaitMs?: number;
};

export class FrontPressure {
  private busy = 0;
  private reportedAt = -Infinity;
  private readonly waiting = new Set<() => void>();
  private readonly busyAbove: number;
  private readonly staleAfterMs: number;
  private readonly maxWaitMs: number;

  constructor(opts: FrontPressureOptions = {}) {
    // above 0.9: a front under many clients is there nearly all the time,
    // while one client sending jobs back to back seldom is, and should not
    // slow the merge of its own jobs (decision 017)
    this.busyAbove = opts.busyAbove ?? 0.9;
    this.staleAfterMs = opts.staleAfterMs ?? 1_000;
    this.maxWaitMs = opts.maxWaitMs ?? 1_000;
  }

  /** An IPC message; anything but a front-load report is ignored. */
  receive(message: unknown): void {
    const m = frontLoadMessage.safeParse(message);
    if (!m.success) return;
    this.busy = m.data.busy;
    this.reportedAt = performance.now();
    if (!this.isBusy()) for (const done of [...this.waiting]) done();
  }

  isBusy(): boolean {
    return this.busy > this.busyAbove && performance.now() - this.reportedAt < this.staleAfterMs;
  }

  /** Resolves at once when the front is not busy; else when it calms down, at most `maxWaitMs` later. */
  giveWay(): Promise<void> {
    if (!this.isBusy()) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiting.delete(done);
        resolve();
      };
      const timer = setTimeout(done, this.maxWaitMs);
      this.waiting.add(done);
    });
  }
}

/**
 * The front's side: every `intervalMs`, its event-loop utilisation since the
 * last report, sent to the process that started it. Returns a stop function.
 */
export function reportFrontLoad(send: (m: FrontLoadMessage) => void, intervalMs = 100): () => void {
  let last = performance.eventLoopUtilization();
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    send({ type: "front-load", busy: performance.eventLoopUtilization(now, last).utilization });
    last = now;
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
