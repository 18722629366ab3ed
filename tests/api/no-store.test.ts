// Every answer that carries members' data says `Cache-Control: no-store`, so
// no browser or proxy keeps a copy: the API's reads of a target, a deferred
// result and its problems (and their errors, which name members too), and
// the admin app's pages, problem pages, status polls and rejected-rows CSV,
// and the members list, export and pages.
// Through real HTTP against the built app, on both databases.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { signedInStaff, startAppServer, waitForResult, type AppServer } from "../support/app-server";
import { DIALECTS } from "../support/test-db";

describe.each(DIALECTS)("Cache-Control: no-store (%s)", (dialect) => {
  let app: AppServer;
  let jobId: string;
  let cookie: string;
  beforeAll(async () => {
    app = await startAppServer(dialect);
    cookie = await signedInStaff(app);
    const r = await app.api("/api/targets/bulk_upsert", {
      method: "POST",
      json: { records: [{ external_id: "NS-1", email: "nia.stow@example.org", first_name: "Nia" }, { external_id: "NS-2", email: "not an email" }] },
    });
    jobId = (await r.json()).deferred_result_id;
    expect((await waitForResult(app, jobId)).result).toMatchObject({ created: 1, rejected: 1 });
  });
  afterAll(async () => app?.stop());

  const staff = (path: string) => fetch(app.baseUrl + path, { headers: { cookie }, redirect: "manual" });

  test("the API's answers: a target, a deferred result and its errors, and the errors that name members", async () => {
    const answers = {
      target: await app.api("/api/targets/NS-1"),
      "unknown target": await app.api("/api/targets/NS-2"),
      "deferred result": await app.api(`/api/deferred_results/${jobId}`),
      "its errors": await app.api(`/api/deferred_results/${jobId}/errors`),
      "target list": await app.api("/api/targets?q=nia"),
      "target export": await app.api("/api/targets?format=csv"),
    };
    const seen = Object.fromEntries(Object.entries(answers).map(([what, r]) => [what, [r.status, r.headers.get("cache-control")]]));
    expect(seen).toEqual({
      target: [200, "no-store"],
      "unknown target": [404, "no-store"],
      "deferred result": [200, "no-store"],
      "its errors": [200, "no-store"],
      "target list": [200, "no-store"],
      "target export": [200, "no-store"],
    });
    expect(await answers.target.json()).toMatchObject({ email: "nia.stow@example.org" });
  });

  test("the admin app: the rejected-rows CSV, the problems, the status poll, the members list, page and export, and the pages that show them", async () => {
    const paths = [
      `/imports/${jobId}/rejected.csv`,
      `/imports/${jobId}/problems`,
      `/imports/${jobId}/status`,
      `/imports/${jobId}`,
      "/imports",
      "/members",
      "/members/NS-1",
      "/members.json?q=nia",
      "/members.csv",
    ];
    const seen: Record<string, [number, string | null]> = {};
    for (const path of paths) {
      const r = await staff(path);
      seen[path] = [r.status, r.headers.get("cache-control")];
      if (path.endsWith("rejected.csv")) expect(await r.text()).toContain("not an email");
    }
    // Next.js's own value for a page rendered per request holds no-store as well
    for (const path of paths) expect(seen[path], path).toEqual([200, expect.stringMatching(/(^|[ ,])no-store([ ,]|$)/)]);
  });

  test("the audit log (admins): its page and CSV are no-store; the CSV holds the API import by the token's name, from the client's address", async () => {
    const admin = await signedInStaff(app, "ada@example.org", "admin");
    const asAdmin = (path: string) => fetch(app.baseUrl + path, { headers: { cookie: admin }, redirect: "manual" });
    const page = await asAdmin("/audit");
    const csv = await asAdmin("/audit.csv?action=import_started");
    for (const r of [page, csv]) expect([r.status, r.headers.get("cache-control")]).toEqual([200, expect.stringMatching(/(^|[ ,])no-store([ ,]|$)/)]);
    const lines = (await csv.text()).trim().split("\r\n");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`,api,test client,127.0.0.1,import_started,job,${jobId},`);
    // staff are refused both
    expect((await staff("/audit")).status).toBe(403);
    expect((await staff("/audit.csv")).status).toBe(403);
  });

  test("Next.js's own files may still be cached", async () => {
    const page = await (await staff("/imports")).text();
    const script = page.match(/\/_next\/static\/[^"]+\.js/)?.[0];
    expect(script).toBeDefined();
    const r = await fetch(app.baseUrl + script);
    expect(r.status).toBe(200);
    expect(r.headers.get("cache-control")).not.toMatch(/no-store/);
  });
});
