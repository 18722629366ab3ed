// The floor for "submit under load" (run as a child by bench/child.ts): a bare
// node:http server that reads each body, JSON.parses it, checks that every
// record has a non-empty string external_id, stores the body in SQLite
// (better-sqlite3, WAL) with one INSERT and answers 200 {"deferred_result_id"}.
//   node --import tsx bench/floor-server.ts <sqlite file>
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import Database from "better-sqlite3";

const file = process.argv[2];
if (!file) throw new Error("usage: floor-server.ts <sqlite file>");
const db = new Database(file);
db.pragma("journal_mode = WAL");
db.exec("CREATE TABLE IF NOT EXISTS job (id TEXT PRIMARY KEY, body TEXT NOT NULL, created_at INTEGER NOT NULL)");
const insert = db.prepare("INSERT INTO job (id, body, created_at) VALUES (?, ?, ?)");

function answer(res: import("node:http").ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

const server = createServer((req, res) => {
  if (req.method !== "POST" || req.url !== "/api/targets/bulk_upsert") return answer(res, 404, { error: { code: "not_found" } });
  const parts: Buffer[] = [];
  req.on("data", (b: Buffer) => parts.push(b));
  req.on("end", () => {
    const text = Buffer.concat(parts).toString("utf8");
    let body: { records?: unknown };
    try {
      body = JSON.parse(text);
    } catch {
      return answer(res, 400, { error: { code: "invalid_payload", message: "not JSON" } });
    }
    const records = body?.records;
    if (!Array.isArray(records) || records.length === 0 || records.length > 1000)
      return answer(res, 400, { error: { code: "invalid_payload", message: "records" } });
    for (const r of records) {
      const id = (r as { external_id?: unknown })?.external_id;
      if (typeof id !== "string" || id.trim() === "") return answer(res, 400, { error: { code: "invalid_payload", message: "external_id" } });
    }
    const id = randomUUID();
    insert.run(id, text, Date.now());
    answer(res, 200, { deferred_result_id: id });
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as { port: number };
  process.send?.({ port });
});
process.on("SIGTERM", () => {
  server.closeAllConnections();
  server.close(() => {
    db.close();
    process.exit(0);
  });
});
