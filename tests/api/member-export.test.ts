// The members CSV export over real HTTP against the built app, on both
// databases: GET /api/targets?format=csv for API users and
// /members.csv for staff, their headers and bytes, who may ask, what
// is refused, and the file sent back as a csv_url changing nothing.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { signedInStaff, startAppServer, waitForResult, type AppServer } from "../support/app-server";
import { startFixtureServer } from "../support/http-fixture";
import { DIALECTS } from "../support/test-db";

const HEADER = "external_id,first_name,last_name,email,phone_number,subscription_email,subscription_sms,subscription_phone,subscription_whatsapp,branch,score";
const RECORDS = [
  { external_id: "000123", first_name: "Siân", last_name: "Ñúñez", email: "Sian@Example.org", phone_number: "07400 123456", subscription_email: true, branch: "007", score: 1.5 },
  { external_id: "E-2", first_name: "=HYPERLINK(\"http://x\")", last_name: "O'Brien, Jr", subscription_email: false, subscription_sms: true, score: -2 },
  { external_id: "E-3", first_name: "Łukasz", branch: "@North" },
];
// what the file holds for them, in external_id order
const ROWS = [
  "000123,Siân,Ñúñez,sian@example.org,+447400123456,true,,,,007,1.5",
  `E-2,"'=HYPERLINK(""http://x"")","O'Brien, Jr",,,false,true,,,,-2`,
  "E-3,Łukasz,,,,,,,,'@North,",
];
const file = (rows: string[]) => `\uFEFF${[HEADER, ...rows].join("\r\n")}\r\n`;
const today = () => new Date().toISOString().slice(0, 10);
/** The body's text with its BOM, which Response.text() drops. */
const textOf = async (r: Response) => Buffer.from(await r.arrayBuffer()).toString("utf8");

describe.each(DIALECTS)("members CSV export over HTTP (%s)", (dialect) => {
  let app: AppServer;
  let cookie: string;
  let srv: Awaited<ReturnType<typeof startFixtureServer>>;
  let served = "";
  beforeAll(async () => {
    srv = await startFixtureServer({ "/members.csv": (_q, res) => res.end(served) });
    app = await startAppServer(dialect, { CSV_URL_ALLOWED_HOSTS: "127.0.0.1" });
    cookie = await signedInStaff(app);
    for (const field of [{ slug: "branch", label: "Branch", kind: "text" }, { slug: "score", label: "Score", kind: "float" }]) {
      expect((await app.api("/api/custom_fields", { method: "POST", json: field })).status).toBe(201);
    }
    const r = await app.api("/api/targets/bulk_upsert", { method: "POST", json: { records: RECORDS } });
    expect((await waitForResult(app, (await r.json()).deferred_result_id)).result).toMatchObject({ created: 3, rejected: 0 });
  }, 180_000);
  afterAll(async () => {
    await app?.stop();
    await srv?.close();
  });

  const staff = (path: string) => fetch(app.baseUrl + path, { headers: { cookie }, redirect: "manual" });

  test("GET /api/targets?format=csv: every target as a UTF-8 file with a BOM, an attachment never cached", async () => {
    const r = await app.api("/api/targets?format=csv");
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(r.headers.get("content-disposition")).toBe(`attachment; filename="targets-${today()}.csv"`);
    expect(r.headers.get("cache-control")).toContain("no-store");
    const bytes = Buffer.from(await r.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString("utf8")).toBe(file(ROWS));
    expect(await textOf(await app.api("/api/targets?format=csv&q=sian"))).toBe(file([ROWS[0]]));
  });

  test("the exported file sent back as a csv_url changes nothing", async () => {
    served = await textOf(await app.api("/api/targets?format=csv"));
    const r = await app.api("/api/targets/bulk_upsert", { method: "POST", json: { csv_url: srv.url("/members.csv") } });
    expect(r.status).toBe(200);
    const done = await waitForResult(app, (await r.json()).deferred_result_id);
    expect(done.result).toMatchObject({ total: 3, created: 0, updated: 0, rejected: 0, unchanged: 3 });
  });

  test("cursor or limit with format=csv, another format, or no token: refused", async () => {
    for (const [query, path] of [["format=csv&limit=10", "limit"], ["format=csv&cursor=abc", "cursor"], ["format=xml", "format"]]) {
      const r = await app.api(`/api/targets?${query}`);
      expect(r.status, query).toBe(400);
      const body = await r.json();
      expect(body.error.code, query).toBe("invalid_payload");
      expect(body.error.details.map((d: { path: string }) => d.path), query).toEqual([path]);
    }
    expect((await app.api("/api/targets?format=csv", { auth: false })).status).toBe(401);
  });

  test("/members.csv: staff get what the list's filters find; a bad filter is 400; signed out goes to sign in", async () => {
    const r = await staff("/members.csv?email=yes&cursor=ignored&limit=1");
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(r.headers.get("content-disposition")).toBe(`attachment; filename="members-${today()}.csv"`);
    expect(r.headers.get("cache-control")).toContain("no-store");
    expect(await textOf(r)).toBe(file([ROWS[0]]));
    // in the list's order: by last name (none first, then Ñúñez as Nunez, then O'Brien)
    expect(await textOf(await staff("/members.csv?sort=name"))).toBe(file([ROWS[2], ROWS[0], ROWS[1]]));
    const bad = await staff("/members.csv?field=no_such_field&eq=x");
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe("invalid_payload");
    const signedOut = await fetch(`${app.baseUrl}/members.csv`, { redirect: "manual" });
    expect(signedOut.status).toBe(307);
    expect(signedOut.headers.get("location")).toContain("/login");
    expect((await fetch(`${app.baseUrl}/members.csv`, { headers: { cookie: "better-auth.session_token=forged" }, redirect: "manual" })).status).toBe(401);
  });

  test("the OpenAPI document describes GET /api/targets, its CSV too", async () => {
    const doc = await (await app.api("/api/openapi.json")).json();
    const get = doc.paths["/api/targets"].get;
    expect(get.parameters.map((p: { name: string }) => p.name)).toEqual(["q", "limit", "cursor", "format"]);
    expect(get.parameters[3].schema.enum).toEqual(["json", "csv"]);
    expect(Object.keys(get.responses[200].content)).toEqual(["application/json", "text/csv"]);
    expect(doc.components.schemas.TargetList.properties.targets.items.properties.subscription_sms.type).toEqual(["boolean", "null"]);
  });
});
