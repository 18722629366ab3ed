// A closed-loop load generator: N clients, each on its own keep-alive
// connection, post bodies back to back for a fixed time. A request that has
// no complete answer within the limit is abandoned and counted a timeout.
import { keepAliveAgent, request, TimeoutError } from "./http";

export type LoadResult = {
  clients: number;
  seconds: number;
  /** from the first request until the last answer (or abandonment) */
  elapsedMs: number;
  sent: number;
  accepted: number;
  acceptedPerS: number;
  /** non-200 answers by status */
  errors: Record<string, number>;
  errorCount: number;
  timeouts: number;
  /** connection errors (no HTTP answer at all) by message */
  failures: Record<string, number>;
  failureCount: number;
  /** ms of every request sent; a timeout counts as the limit */
  latenciesMs: number[];
  /** when each of those was sent, ms after the load began (same order) */
  sentAtMs: number[];
  /** deferred_result_id of each accepted request, in the order the answers came */
  ids: string[];
  sampleError?: string;
};

export async function runLoad(opts: {
  url: string;
  headers: Record<string, string>;
  clients: number;
  seconds: number;
  timeoutMs: number;
  body: () => string;
}): Promise<LoadResult> {
  const r: LoadResult = {
    clients: opts.clients, seconds: opts.seconds, elapsedMs: 0, sent: 0, accepted: 0, acceptedPerS: 0,
    errors: {}, errorCount: 0, timeouts: 0, failures: {}, failureCount: 0, latenciesMs: [], sentAtMs: [], ids: [],
  };
  const t0 = performance.now();
  const deadline = t0 + opts.seconds * 1000;
  const client = async () => {
    const agent = keepAliveAgent();
    try {
      while (performance.now() < deadline) {
        const body = Buffer.from(opts.body());
        const start = performance.now();
        r.sent++;
        try {
          const res = await request(opts.url, { method: "POST", headers: opts.headers, body, agent, timeoutMs: opts.timeoutMs });
          r.latenciesMs.push(res.ms);
          r.sentAtMs.push(start - t0);
          if (res.status === 200) {
            r.accepted++;
            r.ids.push(JSON.parse(res.body).deferred_result_id);
          } else {
            r.errors[res.status] = (r.errors[res.status] ?? 0) + 1;
            r.errorCount++;
            r.sampleError ??= `${res.status} ${res.body.slice(0, 300)}`;
          }
        } catch (e) {
          if (e instanceof TimeoutError) {
            r.timeouts++;
            r.latenciesMs.push(opts.timeoutMs);
            r.sentAtMs.push(start - t0);
          } else {
            const msg = (e as Error).message;
            r.failures[msg] = (r.failures[msg] ?? 0) + 1;
            r.failureCount++;
            r.latenciesMs.push(performance.now() - start);
            r.sentAtMs.push(start - t0);
            r.sampleError ??= msg;
          }
        }
      }
    } finally {
      agent.destroy();
    }
  };
  await Promise.all(Array.from({ length: opts.clients }, client));
  r.elapsedMs = performance.now() - t0;
  r.acceptedPerS = (r.accepted / r.elapsedMs) * 1000;
  return r;
}
