// Samples the RSS of the app's whole process tree (scripts/start.mjs and every
// descendant) every interval.
import type { App } from "./app";

export type RssSample = { t_ms: number; kb: number; pids: number };

export function sampleRss(app: App, intervalMs: number) {
  const t0 = performance.now();
  const samples: RssSample[] = [];
  const take = () => {
    const { kb, pids } = app.treeRss();
    samples.push({ t_ms: Math.round(performance.now() - t0), kb, pids: pids.length });
  };
  take();
  const timer = setInterval(take, intervalMs);
  return {
    samples,
    stop() {
      clearInterval(timer);
      take();
      const peak = samples.reduce((a, s) => (s.kb > a.kb ? s : a), samples[0]);
      return { firstKb: samples[0].kb, peakKb: peak.kb, peakAtMs: peak.t_ms, lastKb: samples[samples.length - 1].kb, samples };
    },
  };
}

export const mb = (kb: number) => kb / 1024;
