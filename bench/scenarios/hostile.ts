// hostile: the seeded batch of malformed and hostile requests of the
// bad-input test (tests/support/hostile-requests.ts), sent by 4 clients at
// once, while one authenticated reader asks for a deferred result and a
// target every 50 ms. Target: the slowest read answers in under 1 s.
import { startApp, submit, waitDone } from "../app";
import { keepAliveAgent, request, sleep } from "../http";
import { bulkBody, record } from "../records";
import { check, dist, fmtMs, line, printChecks, writeSummary } from "../report";
import type { Dialect } from "../config";
import { hostileRequests } from "../../tests/support/hostile-requests";

const CLIENTS = 4;

export async function hostile(dialect: Dialect) {
  const say = (s: string) => line("hostile", dialect, s);
  const app = await startApp(dialect, "hostile");
  try {
    for (const field of [
      { slug: "score", label: "Score", kind: "float" },
      { slug: "joined_on", label: "Joined", kind: "date" },
    ]) {
      await app.api("/api/custom_fields", { method: "POST", json: field });
    }
    const known = await submit(app, bulkBody(0, 10));
    await waitDone(app, known.id);
    const targetId = record(0).external_id;
    const requests = hostileRequests(Number(process.env.BENCH_HOSTILE_SEED ?? 7), Number(process.env.BENCH_HOSTILE_COUNT ?? 200));
    say(`${requests.length} hostile requests from ${CLIENTS} clients, reads every 50 ms meanwhile …`);

    let sending = true;
    const reads: number[] = [];
    const reader = (async () => {
      while (sending) {
        for (const path of [`/api/deferred_results/${known.id}`, `/api/targets/${encodeURIComponent(targetId)}`]) {
          const r = await app.api(path);
          if (r.status !== 200) throw new Error(`read ${path}: HTTP ${r.status}`);
          reads.push(r.ms);
        }
        await sleep(50);
      }
    })();
    const statuses = new Map<number, number>();
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        const agent = keepAliveAgent();
        while (next < requests.length) {
          const req = requests[next++];
          const headers: Record<string, string> = { authorization: `Bearer ${app.token}` };
          if (req.contentType) headers["content-type"] = req.contentType;
          const r = await request(`${app.baseUrl}/api/targets/bulk_upsert`, { method: "POST", headers, body: req.body, agent, timeoutMs: 60_000 }).catch(
            () => ({ status: 0 }),
          );
          statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        }
      }),
    );
    const sendMs = performance.now() - t0;
    sending = false;
    await reader;
    const d = dist(reads);
    const fiveHundreds = [...statuses].filter(([s]) => s >= 500 || s === 0).reduce((n, [, c]) => n + c, 0);
    say(`sent in ${fmtMs(sendMs)}; answers by status: ${[...statuses].sort(([a], [b]) => a - b).map(([s, c]) => `${s || "no answer"}: ${c}`).join(", ")}`);
    say(`authenticated reads meanwhile: p50 ${fmtMs(d.p50)}, p99 ${fmtMs(d.p99)}, slowest ${fmtMs(d.max)} (n=${d.n})`);
    const checks = [
      check("slowest read < 1 s", d.max < 1000, `${fmtMs(d.max)} vs 1000 ms`),
      check("no 5xx and no dropped request", fiveHundreds === 0, `${fiveHundreds} of ${requests.length}`),
    ];
    printChecks("hostile", dialect, checks);
    say(`summary: ${writeSummary("hostile", dialect, { requests: requests.length, clients: CLIENTS, send_ms: Math.round(sendMs), statuses: Object.fromEntries(statuses), reads_ms: d, checks })}`);
  } finally {
    await app.stop();
  }
}
