// A child process of the `members` scenario: streams the CSV export of every
// member (lib/targets/export-members-csv.ts, through the route's csvDownload)
// to a sink that discards it, in a
// process of its own, so that its RSS is the export's alone and the parent,
// whose event loop stays free, samples it every 100 ms.
// IPC: parent sends {url}; child answers {ready}; parent sends {go}; child
// answers {done, ...} or {error}.
import { readFileSync, writeFileSync } from "node:fs";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { createDb } from "../lib/db/client";
import { csvDownload } from "../lib/http/csv-download";
import { exportMembersCsv } from "../lib/targets/export-members-csv";
import { memberQuerySchema } from "../lib/targets/member-query";

export type ExportDone = {
  event: "done";
  ms: number;
  bytes: number;
  lines: number;
  firstChunkMs: number;
  /** the kernel's peak RSS since the export began (null: not readable) */
  hwmKb: number | null;
  /** V8's heap and the buffers outside it at the end, MB */
  heapUsedMb: number;
  heapTotalMb: number;
  externalMb: number;
};

const send = (m: object) => process.send!(m);

function hwmKb(): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

function heap() {
  const u = process.memoryUsage();
  const mb = (b: number) => Math.round(b / 1048576);
  return { heapUsedMb: mb(u.heapUsed), heapTotalMb: mb(u.heapTotal), externalMb: mb(u.external + u.arrayBuffers) };
}

process.once("message", async (m: { url: string }) => {
  try {
    const db = createDb(m.url);
    // the modules loaded and the connections open before the measured part, as in a running app
    for await (const chunk of exportMembersCsv(db, memberQuerySchema.parse({ q: "no such member zzqx" }))) void chunk;
    send({ event: "ready" });
    await new Promise((r) => process.once("message", r));
    try {
      // the peak RSS (VmHWM) counts from here
      writeFileSync("/proc/self/clear_refs", "5");
    } catch {
      // not on this kernel: the parent's samples still count
    }
    let bytes = 0;
    let lines = 0;
    let firstChunkMs = 0;
    const t0 = performance.now();
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        if (bytes === 0) firstChunkMs = performance.now() - t0;
        bytes += chunk.length;
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
        done();
      },
    });
    // as the route answers (csvDownload's web stream), piped to a Node stream as Next.js pipes it to the socket
    const res = await csvDownload(exportMembersCsv(db, memberQuerySchema.parse({})), "members.csv");
    await pipeline(Readable.fromWeb(res.body as WebReadableStream<Uint8Array>), sink);
    const done: ExportDone = { event: "done", ms: performance.now() - t0, bytes, lines, firstChunkMs, hwmKb: hwmKb(), ...heap() };
    send(done);
    await db.close();
  } catch (e) {
    send({ event: "error", message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
  process.disconnect();
});
