// A local CSV server (run as a child by bench/child.ts): GET /targets.csv
// streams a generated CSV of <rows> data rows (external_id, first_name,
// last_name, email, phone_number, subscription_email; ~74 bytes a row),
// generated on the fly with backpressure, never held in memory.
//   node --import tsx bench/csv-fixture.ts <rows>
import { createServer } from "node:http";
import { Readable } from "node:stream";
import { CSV_HEADER, csvLine } from "./records";

const rows = Number(process.argv[2]);
if (!Number.isInteger(rows) || rows <= 0) throw new Error("usage: csv-fixture.ts <rows>");

function* chunks() {
  yield CSV_HEADER;
  const PER = 1000;
  for (let g = 0; g < rows; g += PER) {
    let s = "";
    for (let i = g; i < Math.min(rows, g + PER); i++) s += csvLine(i);
    yield s;
  }
}

const server = createServer((req, res) => {
  if (req.method !== "GET" || new URL(req.url ?? "/", "http://x").pathname !== "/targets.csv") {
    res.writeHead(404).end("not found");
    return;
  }
  const t0 = performance.now();
  let bytes = 0;
  res.writeHead(200, { "content-type": "text/csv; charset=utf-8" });
  const body = Readable.from(chunks());
  body.on("data", (s: string) => (bytes += Buffer.byteLength(s)));
  body.pipe(res);
  res.on("close", () =>
    process.send?.({ event: "served", complete: res.writableFinished, bytes, ms: Math.round(performance.now() - t0) }),
  );
});
server.listen(0, "127.0.0.1", () => process.send?.({ port: (server.address() as { port: number }).port }));
process.on("SIGTERM", () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
