// The page's main-thread tasks, from a Chrome trace: how long the page could
// not answer a click or paint a frame. (Timer lateness was used before, but
// on 2 cores it mostly measured the OS giving the CPU to the wizard's Web
// Worker and the server rather than the page's own work; the Long Tasks API
// reports nothing in this headless Chromium.)
import type { Browser, Page } from "@playwright/test";

type TraceEvent = { name: string; ph: string; pid: number; tid: number; ts: number; dur?: number; tdur?: number; args?: { name?: string; data?: { frames?: { processId: number; url: string }[] } } };

/**
 * `ms`: wall time; `cpuMs`: the time the thread ran (less when the OS gave
 * the core to another process meanwhile, as on a 2-core machine that also
 * runs the server); `what`: the longest events inside the task (e.g.
 * "FunctionCall 41 ms, Layout 6 ms"), to tell the page's work from a GC;
 * `mostCpuMs`: the most any one task ran.
 */
export type Task = { ms: number; cpuMs: number; atMs: number; what: string; mostCpuMs: number };

/** The longest task on the page's renderer main thread (the trace names the page's process in TracingStartedInBrowser). */
export function longestTask(trace: Buffer, pageUrl: RegExp): Task {
  const parsed = JSON.parse(trace.toString("utf8")) as { traceEvents: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;
  const pids = new Set(
    events.flatMap((e) => (e.name === "TracingStartedInBrowser" ? (e.args?.data?.frames ?? []).filter((f) => pageUrl.test(f.url)).map((f) => f.processId) : [])),
  );
  const main = events.find((e) => e.ph === "M" && e.name === "thread_name" && e.args?.name === "CrRendererMain" && pids.has(e.pid));
  if (!main) throw new Error(`no renderer main thread for ${pageUrl} in the trace`);
  const onMain = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === "X");
  const tasks = onMain.filter((e) => e.name === "ThreadControllerImpl::RunTask");
  if (tasks.length === 0) throw new Error("no main-thread tasks in the trace");
  const first = Math.min(...tasks.map((t) => t.ts));
  const longest = tasks.reduce((a, b) => ((b.dur ?? 0) > (a.dur ?? 0) ? b : a));
  const end = longest.ts + (longest.dur ?? 0);
  const inside = onMain
    .filter((e) => e !== longest && e.ts >= longest.ts && e.ts + (e.dur ?? 0) <= end && !/RunTask|Receive mojo|OnHandleReady|v8\.callFunction/.test(e.name))
    .sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0))
    .slice(0, 3);
  const what = inside.map((e) => `${e.name} ${Math.round((e.dur ?? 0) / 1000)} ms`).join(", ");
  const mostCpuMs = Math.max(...tasks.map((t) => t.tdur ?? 0)) / 1000;
  return { ms: (longest.dur ?? 0) / 1000, cpuMs: (longest.tdur ?? 0) / 1000, atMs: (longest.ts - first) / 1000, what, mostCpuMs };
}

/** Runs `phase` with the browser traced; the longest task on the page's main thread meanwhile. */
export async function tracedPhase(browser: Browser, page: Page, pageUrl: RegExp, phase: () => Promise<void>): Promise<Task> {
  await browser.startTracing(page, { categories: ["toplevel", "devtools.timeline", "disabled-by-default-devtools.timeline"] });
  let trace: Buffer;
  try {
    await phase();
  } finally {
    trace = await browser.stopTracing();
  }
  return longestTask(trace, pageUrl);
}

/**
 * Waits for `test` to hold in the page, asking four times a second with a
 * plain DOM query: Playwright's role and text locators walk the page's
 * accessibility tree on every poll, tasks of 30–80 ms on the wizard's page
 * that would be measured as the wizard's own.
 */
export async function waitInPage<A>(page: Page, test: (arg: A) => boolean, arg: A, timeout: number): Promise<void> {
  await page.waitForFunction(test as never, arg, { polling: 250, timeout });
}
