// A member's history on both databases: what each import and undo changed,
// old → new, newest first, who started it; what retention and erasure leave
// of it (older history no longer kept; an erased member in no one's history).
import { describe, expect, test } from "vitest";
import { requestRevert } from "@/lib/imports/revert-import";
import { submitImport } from "@/lib/imports/submit-import";
import { purgeExpiredDetails } from "@/lib/jobs/retention";
import { eraseTarget } from "@/lib/targets/erase-target";
import { getTarget } from "@/lib/targets/get-target";
import { memberHistory, type MemberHistory } from "@/lib/targets/member-history";
import { dbWithEngine, readyResult } from "../support/engine-db";
import { DIALECTS } from "../support/test-db";

type Rec = Record<string, unknown>;

describe.each(DIALECTS)("a member's history (%s)", (dialect) => {
  const t = dbWithEngine(dialect, { threads: 0 }, async ({ db }) => {
    await db.prisma.customField.create({ data: { slug: "branch", label: "Branch", kind: "text" } });
    await db.prisma.apiUser.create({ data: { id: "api-1", name: "Membership system" } });
    await db.prisma.staffUser.create({ data: { id: "staff-1", name: "Ann Smith", email: "ann@example.org" } });
  });

  async function imported(records: Rec[]): Promise<string> {
    const { id } = await submitImport(t.db, { source: "records", strategy: "reject", records, apiUserId: "api-1" });
    await readyResult(t.db, id);
    return id;
  }
  async function undone(jobId: string): Promise<string> {
    const { id } = await requestRevert(t.db, jobId, { staff: true }, "staff-1");
    await readyResult(t.db, id);
    return id;
  }
  const history = async (id: string): Promise<MemberHistory> => (await memberHistory(t.db, id))!;
  const changes = (h: MemberHistory) => h.entries.map((e) => ({ job: e.jobId, kind: e.kind, fields: e.fields }));

  test("created, updated, the update undone: three entries newest first, old → new, by whom; then erased: gone from every history", async () => {
    const first = await imported([
      { external_id: "H-1", first_name: "Cara", email: "cara@example.org", subscription_email: true, branch: "North" },
      { external_id: "H-2", first_name: "Dev" },
    ]);
    const second = await imported([
      { external_id: "H-1", first_name: "Carys", subscription_email: false, branch: null },
      { external_id: "H-2", last_name: "Lee" },
    ]);
    const undo = await undone(second);

    const h = await history("H-1");
    expect(h.member).toMatchObject({ externalId: "H-1", attrs: { first_name: "Cara", email: "cara@example.org" }, custom: { branch: "North" } });
    expect(changes(h)).toEqual([
      {
        job: undo,
        kind: "changed",
        fields: [
          { key: "first_name", before: "Carys", after: "Cara" },
          { key: "subscription_email", before: false, after: true },
          { key: "branch", before: null, after: "North" },
        ],
      },
      {
        job: second,
        kind: "changed",
        fields: [
          { key: "first_name", before: "Cara", after: "Carys" },
          { key: "subscription_email", before: true, after: false },
          { key: "branch", before: "North", after: null },
        ],
      },
      {
        job: first,
        kind: "created",
        fields: [
          { key: "first_name", before: null, after: "Cara" },
          { key: "email", before: null, after: "cara@example.org" },
          { key: "subscription_email", before: null, after: true },
          { key: "branch", before: null, after: "North" },
        ],
      },
    ]);
    expect(h.entries.map((e) => [e.source, e.title, e.by])).toEqual([
      ["revert", "Undo of API import", "Ann Smith (ann@example.org)"],
      ["records", "API import", "Membership system (API)"],
      ["records", "API import", "Membership system (API)"],
    ]);
    // the creating import is kept: nothing older to tell
    expect(h).toMatchObject({ olderNotKept: false, more: false });
    expect(Date.parse(h.entries[0].at)).toBeGreaterThanOrEqual(Date.parse(h.entries[2].at));

    await eraseTarget(t.db, "H-1");
    expect(await memberHistory(t.db, "H-1")).toBeNull();
    await expect(getTarget(t.db, "H-1")).rejects.toMatchObject({ code: "not_found" });
    expect(await t.db.prisma.targetChange.count({ where: { externalId: "H-1" } })).toBe(0);
    // H-2 shared all three jobs: its history is whole and says nothing of H-1
    const other = await history("H-2");
    expect(changes(other).map((e) => [e.job, e.kind, e.fields.map((f) => f.key)])).toEqual([
      [undo, "changed", ["last_name"]],
      [second, "changed", ["last_name"]],
      [first, "created", ["first_name"]],
    ]);
    expect(JSON.stringify(other)).not.toMatch(/H-1|Cara|cara@example\.org|North/);
  });

  test("a job that changed nothing of the member is not listed; a job past retention ends the history, which then says older changes are not kept", async () => {
    const first = await imported([{ external_id: "R-1", first_name: "Eve" }]);
    const second = await imported([{ external_id: "R-1", last_name: "Ng" }]);
    // written by neither: no entry
    await imported([{ external_id: "R-2", first_name: "Fay" }]);
    expect(changes(await history("R-1")).map((e) => e.job)).toEqual([second, first]);

    await t.db.prisma.importJob.update({ where: { id: first }, data: { finishedAt: new Date(Date.now() - 3 * 86_400_000) } });
    expect(await purgeExpiredDetails(t.db.sql, 2)).toBe(1);
    const h = await history("R-1");
    expect(changes(h)).toEqual([{ job: second, kind: "changed", fields: [{ key: "last_name", before: null, after: "Ng" }] }]);
    expect(h.olderNotKept).toBe(true);

    await t.db.prisma.importJob.update({ where: { id: second }, data: { finishedAt: new Date(Date.now() - 3 * 86_400_000) } });
    expect(await purgeExpiredDetails(t.db.sql, 2)).toBe(1);
    expect(await history("R-1")).toMatchObject({ entries: [], olderNotKept: true, member: { attrs: { first_name: "Eve", last_name: "Ng" } } });
  });
});
