// The heading an import's page is titled with: what was imported, who
// started it and when, for each kind of job, on both databases.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createApiUserWithToken } from "@/lib/auth/api-tokens";
import { getImportHeading } from "@/lib/imports/import-heading";
import { createTestDb, DIALECTS, type TestDb } from "../support/test-db";

describe.each(DIALECTS)("an import's heading (%s)", (dialect) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(dialect);
    await t.db.prisma.staffUser.create({ data: { id: "s-ann", name: "Ann Smith", email: "ann@example.org" } });
    await t.db.prisma.staffUser.create({ data: { id: "s-bob", name: "", email: "bob@example.org" } });
  });
  afterAll(async () => {
    await t?.drop();
  });

  const at = new Date(Date.UTC(2026, 11, 6, 23, 5, 30));
  const job = (id: string, data: { source: string; fileName?: string; staffUserId?: string; apiUserId?: string; dryRun?: boolean; reverts?: string }) =>
    t.db.prisma.importJob.create({ data: { id, status: "ready", conflictStrategy: "reject", createdAt: at, ...data } });

  test("an upload: its file, the staff user by name and email, when in UTC", async () => {
    await job("j-upload", { source: "upload", fileName: "branch.csv", staffUserId: "s-ann" });
    expect(await getImportHeading(t.db, "j-upload")).toEqual({ title: "branch.csv", startedBy: "Ann Smith (ann@example.org)", startedAt: "6 Dec 2026, 23:05 UTC" });
    await job("j-preview", { source: "upload", fileName: "branch.csv", staffUserId: "s-bob", dryRun: true });
    expect(await getImportHeading(t.db, "j-preview")).toMatchObject({ title: "Preview of branch.csv", startedBy: "bob@example.org" });
  });

  test("an API import: named as one, by its API user; its undo names what it undoes", async () => {
    const { apiUserId } = await createApiUserWithToken(t.db, "Membership system");
    await job("j-api", { source: "records", apiUserId });
    expect(await getImportHeading(t.db, "j-api")).toMatchObject({ title: "API import", startedBy: "Membership system (API)" });
    await job("j-undo", { source: "revert", reverts: "j-upload", staffUserId: "s-ann" });
    expect(await getImportHeading(t.db, "j-undo")).toMatchObject({ title: "Undo of branch.csv", startedBy: "Ann Smith (ann@example.org)" });
    await job("j-undo-api", { source: "revert", reverts: "j-api", apiUserId });
    expect(await getImportHeading(t.db, "j-undo-api")).toMatchObject({ title: "Undo of API import" });
    // staff undo an API user's import: the undo is the API user's too, but staff started it
    await job("j-undo-staff", { source: "revert", reverts: "j-api", apiUserId, staffUserId: "s-ann" });
    expect(await getImportHeading(t.db, "j-undo-staff")).toMatchObject({ title: "Undo of API import", startedBy: "Ann Smith (ann@example.org)" });
  });

  test("no such job: null", async () => {
    expect(await getImportHeading(t.db, "nope")).toBeNull();
  });
});
