import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createCustomField } from "@/lib/custom-fields/custom-fields";
import { deleteSavedMapping } from "@/lib/saved-mappings/delete-saved-mapping";
import { listSavedMappings } from "@/lib/saved-mappings/list-saved-mappings";
import { renameSavedMapping } from "@/lib/saved-mappings/rename-saved-mapping";
import { saveMapping } from "@/lib/saved-mappings/save-mapping";
import type { MappingUser } from "@/lib/saved-mappings/saved-mapping-row";
import { parseInput } from "@/lib/invalid-payload";
import { MAX_SAVED_MAPPINGS, renameSavedMappingSchema, saveMappingSchema } from "@/lib/saved-mappings/saved-mapping-schema";
import { createTestDb, DIALECTS, type TestDb } from "../support/test-db";

const alice = { id: "u-alice", role: "staff" as const };
const bob = { id: "u-bob", role: "staff" as const };
const admin = { id: "u-admin", role: "admin" as const };

const columns = [
  { column: "Member No", field: "external_id" },
  { column: "E-mail", field: "email" },
  { column: "Branch", field: "branch" },
  { column: "Notes", field: "skip" },
];

describe.each(DIALECTS)("saved mappings (%s)", (dialect) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(dialect);
    for (const u of [alice, bob, admin]) {
      await t.db.prisma.staffUser.create({ data: { id: u.id, name: u.id.slice(2), email: `${u.id}@example.org`, role: u.role } });
    }
    await createCustomField(t.db, { slug: "branch", label: "Branch", kind: "text" });
  });
  afterAll(async () => t?.drop());

  // as the server actions call them: the input read by its schema first
  const save = async (user: MappingUser, raw: unknown) => saveMapping(t.db, user, parseInput(saveMappingSchema, raw));
  const rename = async (user: MappingUser, raw: unknown) => renameSavedMapping(t.db, user, parseInput(renameSavedMappingSchema, raw));

  test("a mapping saved by one staff member is listed for every other, with its formats as saved", async () => {
    const formats = { "E-mail": { kind: "text" }, "Member No": { pad: 6, note: "Excel stripped zeros" } };
    const saved = await save(alice, { name: "  Branch   export ", columns, formats });
    expect(saved).toMatchObject({ name: "Branch export", columns, formats, createdBy: "alice", canChange: true });
    const seenByBob = (await listSavedMappings(t.db, bob)).find((m) => m.id === saved.id)!;
    expect(seenByBob).toMatchObject({ name: "Branch export", columns, formats, canChange: false });
    expect((await listSavedMappings(t.db, admin)).find((m) => m.id === saved.id)!.canChange).toBe(true);
  });

  test("a name differing only in case or spaces is taken (already_exists)", async () => {
    await save(alice, { name: "Payroll", columns });
    await expect(save(bob, { name: " PAYROLL ", columns })).rejects.toMatchObject({ code: "already_exists" });
    const other = await save(bob, { name: "Payroll 2", columns });
    await expect(rename(bob, { id: other.id, name: "payroll" })).rejects.toMatchObject({ code: "already_exists" });
    // renaming to its own name in another case is fine
    expect((await rename(bob, { id: other.id, name: "PAYROLL 2" })).name).toBe("PAYROLL 2");
  });

  test("only its author or an admin may rename or delete it; anyone may use it", async () => {
    const m = await save(alice, { name: "Alice's", columns });
    await expect(rename(bob, { id: m.id, name: "Bob's now" })).rejects.toMatchObject({ code: "forbidden" });
    await expect(deleteSavedMapping(t.db, bob, { id: m.id })).rejects.toMatchObject({ code: "forbidden" });
    expect((await rename(alice, { id: m.id, name: "Alice renamed" })).name).toBe("Alice renamed");
    expect((await rename(admin, { id: m.id, name: "Admin renamed" })).name).toBe("Admin renamed");
    expect(await deleteSavedMapping(t.db, admin, { id: m.id })).toEqual({ id: m.id, name: "Admin renamed" });
    expect((await listSavedMappings(t.db, bob)).some((x) => x.id === m.id)).toBe(false);
    await expect(deleteSavedMapping(t.db, alice, { id: m.id })).rejects.toMatchObject({ code: "not_found" });
    await expect(rename(alice, { id: m.id, name: "x" })).rejects.toMatchObject({ code: "not_found" });
  });

  test("a mapping that could not start an import is refused, naming why", async () => {
    const bad = async (cols: typeof columns, extra: object = {}) =>
      save(alice, { name: `bad ${Math.random()}`, columns: cols, ...extra }).catch((e) => e);
    expect(await bad([{ column: "A", field: "email" }])).toMatchObject({ code: "invalid_payload", details: [{ path: "columns" }] });
    expect(await bad([{ column: "A", field: "external_id" }, { column: "B", field: "no_such_field" }])).toMatchObject({
      code: "invalid_payload",
      details: [{ path: "columns[1].field" }],
    });
    expect(await bad([{ column: "A", field: "external_id" }, { column: "B", field: "email" }, { column: "C", field: "email" }])).toMatchObject({
      code: "invalid_payload",
      details: [{ path: "columns[2].field", message: "“C” and “B” both go to email" }],
    });
    // formats: only of its own columns, bounded, JSON only
    expect(await bad(columns, { formats: { Nope: "x" } })).toMatchObject({ details: [{ path: "formats.Nope" }] });
    expect(await bad(columns, { formats: { Notes: "x".repeat(3000) } })).toMatchObject({ details: [{ path: "formats.Notes" }] });
    expect(await bad(columns, { formats: { Notes: 1n } })).toMatchObject({ details: [{ path: "formats.Notes" }] });
    expect(await bad(columns, { formats: [] })).toMatchObject({ code: "invalid_payload" });
    // names: not empty, not too long, no NUL
    for (const name of ["   ", "x".repeat(81), "a\u0000b"]) {
      await expect(save(alice, { name, columns })).rejects.toMatchObject({ code: "invalid_payload", details: [{ path: "name" }] });
    }
    await expect(save(alice, { name: "extra", columns, owner: "u-admin" })).rejects.toMatchObject({ code: "invalid_payload" });
  });

  test(`at most ${MAX_SAVED_MAPPINGS} are kept, even when saves race`, async () => {
    const before = await t.db.prisma.savedMapping.count();
    const results = await Promise.allSettled(
      Array.from({ length: MAX_SAVED_MAPPINGS - before + 10 }, (_, i) => save(bob, { name: `race ${i}`, columns })),
    );
    // racing saves may take themselves back below the limit, never leave it exceeded
    expect(await t.db.prisma.savedMapping.count()).toBeLessThanOrEqual(MAX_SAVED_MAPPINGS);
    const refused = results.filter((r) => r.status === "rejected");
    expect(refused.length).toBeGreaterThanOrEqual(10);
    for (const r of refused) expect((r as PromiseRejectedResult).reason).toMatchObject({ code: "limit_reached" });
    // one at a time, the store fills to exactly the limit, then says so
    for (let i = 0; (await t.db.prisma.savedMapping.count()) < MAX_SAVED_MAPPINGS; i++) {
      await save(bob, { name: `one by one ${i}`, columns });
    }
    await expect(save(bob, { name: "one too many", columns })).rejects.toMatchObject({
      code: "limit_reached",
      message: expect.stringContaining("delete one you no longer use"),
    });
  });

  test("a mapping outlives its author's account, then only admins may change it", async () => {
    await t.db.prisma.savedMapping.deleteMany({ where: { OR: [{ name: { startsWith: "one by one" } }, { name: { startsWith: "race" } }] } });
    const carol = { id: "u-carol", role: "staff" as const };
    await t.db.prisma.staffUser.create({ data: { id: carol.id, name: "carol", email: "carol@example.org" } });
    const m = await save(carol, { name: "Carol's", columns });
    await t.db.prisma.staffUser.delete({ where: { id: carol.id } });
    const listed = (await listSavedMappings(t.db, bob)).find((x) => x.id === m.id)!;
    expect(listed).toMatchObject({ createdBy: null, canChange: false, columns });
    expect((await rename(admin, { id: m.id, name: "Kept" })).name).toBe("Kept");
  });
});
