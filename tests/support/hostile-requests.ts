// A seeded batch of malformed and hostile bulk upsert requests, as an
// attacker or a careless client would send them: deep nesting, wrong types,
// invalid UTF-8, NUL characters, lone surrogates, prototype keys, oversized
// values and bodies, wrong content types, and hostile values inside
// well-formed records. Used by tests/api/hostile-input.test.ts (both
// databases) and by the bench's `hostile` scenario.
import { rng } from "./reference-model";

export type HostileRequest = {
  name: string;
  contentType: string | null;
  body: Buffer;
  /** What the contract promises: refused (a 4xx, nothing stored) or accepted (200, a job). */
  expect: "refused" | "accepted";
};

const json = (v: unknown) => Buffer.from(JSON.stringify(v));
const MAX_BODY = 10 * 1024 * 1024;

/** A record with hostile values; the request itself is well formed. */
function hostileRecord(r: ReturnType<typeof rng>, i: number): Record<string, unknown> {
  const id = `H${i}-${r.int(50)}`;
  switch (r.int(14)) {
    case 0:
      return { external_id: id, first_name: "a\u0000b" };
    case 1:
      return { external_id: id, last_name: "\ud800 lone surrogate" };
    case 2:
      return { external_id: id, score: "9".repeat(200_000) + "x" };
    case 3:
      return { external_id: id, first_name: "x".repeat(1_000_000) };
    case 4:
      return { external_id: id, email: `${"a".repeat(100_000)}@example.org` };
    case 5:
      return { external_id: id, phone_number: "+44" + "7".repeat(50_000) };
    case 6:
      return JSON.parse(`{"external_id":"${id}","__proto__":{"polluted":true},"constructor":"x","prototype":1}`);
    case 7:
      return { external_id: id, hasOwnProperty: "x", toString: "y", valueOf: 1 };
    case 8:
      return { external_id: id, joined_on: "2024-02-30", subscription_sms: "perhaps", score: "1e400" };
    case 9:
      return Object.fromEntries([["external_id", id], ...Array.from({ length: 500 }, (_, k) => [`unknown_${k}`, k])]);
    case 10:
      return { external_id: id, first_name: "Zoë 👩🏽‍💻", email: `${id.toLowerCase()}@example.org`, phone_number: "07400 123456" };
    case 11:
      return { external_id: id, first_name: "\u202eevil\u202c", email: "x@example.org\u0000" };
    case 12:
      return { external_id: id, subscription_email: "TRUE", score: -0, joined_on: "0001-01-01" };
    default:
      return { external_id: id, first_name: "=HYPERLINK(\"http://x\")", email: " MIXED@Example.ORG " };
  }
}

export function hostileRequests(seed: number, count: number): HostileRequest[] {
  const r = rng(seed);
  const out: HostileRequest[] = [];
  const refused = (name: string, body: Buffer, contentType: string | null = "application/json"): HostileRequest => ({
    name,
    body,
    contentType,
    expect: "refused",
  });
  for (let i = 0; i < count; i++) {
    switch (r.int(24)) {
      case 0: {
        const depth = r.pick([1_000, 50_000, 500_000]);
        out.push(refused(`nesting ${depth} deep`, Buffer.from(`{"records":[${"[".repeat(depth)}${"]".repeat(depth)}]}`)));
        break;
      }
      case 1:
        out.push(refused("records of the wrong type", json({ records: r.pick(["x", 5, null, {}, [1, 2], [[]], [null]]) })));
        break;
      case 2:
        out.push(refused("a bad conflict strategy", json({ records: [{ external_id: "A" }], conflict_strategy: r.pick([5, "REJECT", null, ["reject"]]) })));
        break;
      case 3:
        out.push(refused("a bad csv_url", json({ csv_url: r.pick([5, "ftp://x/y.csv", "javascript:alert(1)", "http://", "x".repeat(100_000)]) })));
        break;
      case 4:
        out.push(refused("invalid UTF-8", Buffer.concat([Buffer.from('{"records":[{"external_id":"A","first_name":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}]}')])));
        break;
      case 5:
        out.push(refused("a raw NUL byte", Buffer.from('{"records":[{"external_id":"A\u0000"}]}')));
        break;
      case 6:
        out.push(refused("a NUL character in a key", json({ records: [{ external_id: "A", ["na\u0000me"]: "x" }] })));
        break;
      case 7:
        out.push(refused("a lone surrogate in a key", json({ records: [{ external_id: "A", ["k\udc00"]: "x" }] })));
        break;
      case 8:
        out.push(refused("a NUL character in external_id", json({ records: [{ external_id: "A\u0000B" }] })));
        break;
      case 9:
        out.push(refused("__proto__ at the top", Buffer.from('{"records":[{"external_id":"A"}],"__proto__":{"x":1}}')));
        break;
      case 10:
        out.push(refused("a body over the limit", Buffer.concat([Buffer.from('{"records":[{"external_id":"A","first_name":"'), Buffer.alloc(MAX_BODY + 10, 0x61), Buffer.from('"}]}')])));
        break;
      case 11:
        out.push(refused("1001 records", json({ records: Array.from({ length: 1001 }, (_, k) => ({ external_id: `T${k}` })) })));
        break;
      case 12:
        out.push(refused("not JSON", Buffer.from(r.pick(["", "{", "records", '{"records":[]', "\ufeff{}", "null", "[]"]))));
        break;
      case 13:
        out.push(refused("the wrong content type", json({ records: [{ external_id: "A" }] }), r.pick([null, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"])));
        break;
      case 14:
        out.push(refused("an unsafe integer id", Buffer.from(`{"records":[{"external_id":${r.pick(["9007199254740993", "1e308", "1.5", "-0.0001"])}}]}`)));
        break;
      case 15:
        out.push(refused("an object value", json({ records: [{ external_id: "A", first_name: { $gt: "" } }] })));
        break;
      default: {
        const n = 1 + r.int(40);
        out.push({
          name: `${n} records with hostile values`,
          contentType: "application/json",
          body: json({ records: Array.from({ length: n }, (_, k) => hostileRecord(r, i * 100 + k)), conflict_strategy: r.pick(["reject", "ignore"]) }),
          expect: "accepted",
        });
      }
    }
  }
  return out;
}
