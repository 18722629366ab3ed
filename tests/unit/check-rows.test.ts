import { expect, test } from "vitest";
import { RowChecker } from "@/lib/upload/check-rows";
import { ReferenceModel, rng, type RefRecord } from "../support/reference-model";

test("counts rows per problem with examples, the server's rules, and repeats", () => {
  const c = new RowChecker({ catalog: new Map([["score", "float"]]), phoneRegion: "GB" });
  const rows: Record<string, string>[] = [
    { external_id: "M1", email: "a@example.org", phone_number: "07565000000", score: "1.5" },
    { external_id: "", email: "b@example.org", phone_number: "", score: "" },
    { external_id: "M3", email: "not-an-email", phone_number: "123", score: "x" },
    { external_id: "M4", email: "nope", phone_number: "", score: "" },
    { external_id: "M1", email: "", phone_number: "", score: "" },
  ];
  rows.forEach((r, i) => c.add(i + 1, r));
  const s = c.summary();
  expect(s.rowsChecked).toBe(5);
  expect(s.rowsWithProblems).toBe(3);
  const byKey = Object.fromEntries(s.problems.map((p) => [p.key, p]));
  expect(byKey["invalid_email:email"].rows).toBe(2);
  expect(byKey["invalid_email:email"].label).toBe("invalid email");
  expect(byKey["invalid_email:email"].examples.map((e) => e.row)).toEqual([3, 4]);
  expect(byKey["invalid_phone_number:phone_number"].rows).toBe(1);
  expect(byKey["invalid_value:score"].rows).toBe(1);
  expect(byKey["invalid_value:external_id"].rows).toBe(1);
  expect(byKey["repeated_external_id"]).toMatchObject({ rows: 1, examples: [{ row: 5, externalId: "M1" }] });
  expect([...c.rejectedRows()].sort()).toEqual([2, 3, 4]);
  expect(s.problems[0].key).toBe("invalid_email:email"); // most frequent first
  expect(s.rowsInConflict).toBe(0);
});

test("an email or phone set by another member's earlier row is flagged as a likely conflict", () => {
  const c = new RowChecker({ catalog: new Map(), phoneRegion: "GB" });
  c.add(1, { external_id: "A", email: "x@example.org", phone_number: "07565000000" });
  c.add(2, { external_id: "A", email: "X@example.org" }); // the same member again: no conflict
  c.add(3, { external_id: "B", email: "x@example.org", phone_number: "+447565000000" });
  const s = c.summary();
  expect(s.rowsInConflict).toBe(1);
  expect(s.rowsWithProblems).toBe(0);
  const keys = Object.fromEntries(s.problems.map((p) => [p.key, p]));
  expect(keys.shared_email.examples[0]).toMatchObject({ row: 3, externalId: "B", message: "x@example.org is also on row 1 (A)" });
  expect(keys.shared_phone_number.rows).toBe(1);
});

test("a member's later row that moves their email away frees it, as in the merge", () => {
  const c = new RowChecker({ catalog: new Map(), phoneRegion: "GB" });
  c.add(1, { external_id: "A", email: "x@example.org" });
  c.add(2, { external_id: "A", email: "y@example.org" });
  c.add(3, { external_id: "B", email: "x@example.org" });
  expect(c.summary().rowsInConflict).toBe(0);
  expect(c.summary().problems).toEqual([expect.objectContaining({ key: "repeated_external_id" })]);
});

test("a row rejected for a conflict does not take the email it asked for", () => {
  const c = new RowChecker({ catalog: new Map(), phoneRegion: "GB" });
  c.add(1, { external_id: "A", email: "x@example.org" });
  c.add(2, { external_id: "B", email: "x@example.org", phone_number: "07565000000" }); // rejected: B holds nothing
  c.add(3, { external_id: "C", phone_number: "07565000000" }); // so the phone is free
  const s = c.summary();
  expect(s.rowsInConflict).toBe(1);
  expect(s.problems.find((p) => p.key === "shared_email")?.examples[0]).toMatchObject({ row: 2, message: "x@example.org is also on row 1 (A)" });
});

// Randomised: the rows the check flags as conflicts are exactly the rows the
// reference model of the merge rejects for a conflict (Reject, empty store).
test("conflicts found by the check equal the merge's, on random files", () => {
  const emails = ["a@example.org", "b@example.org", "c@example.org"];
  const phones = ["+447911123410", "+447911123411", "+447911123412"];
  for (let seed = 1; seed <= 300; seed++) {
    const r = rng(seed);
    const checker = new RowChecker({ catalog: new Map(), phoneRegion: "GB" });
    const model = new ReferenceModel();
    const records: RefRecord[] = [];
    const rows = 1 + r.int(25);
    for (let i = 0; i < rows; i++) {
      const externalId = `M${r.int(6)}`;
      const cells: Record<string, string> = { external_id: externalId, email: "", phone_number: "" };
      const sets: RefRecord["sets"] = {};
      const problems: RefRecord["problems"] = [];
      const e = r.int(5);
      if (e < 3) [cells.email, sets.email] = [r.chance(0.3) ? emails[e].toUpperCase() : emails[e], emails[e]];
      else if (e === 3 && r.chance(0.3)) {
        cells.email = "not-an-email@";
        problems.push({ code: "invalid_email", field: "email" });
      }
      const p = r.int(5);
      if (p < 3) [cells.phone_number, sets.phone_number] = [r.chance(0.5) ? `07911 1234${10 + p}` : phones[p], phones[p]];
      checker.add(i + 1, cells);
      records.push({ raw: cells, externalId, problems, sets });
    }
    const expected = new Set(model.applyJob(records, "reject").entries.filter((x) => x.code === "conflict").map((x) => x.position + 1));
    expect({ seed, rows: checker.summary().rowsInConflict }).toEqual({ seed, rows: expected.size });
    const flagged = new Set(checker.summary().problems.filter((x) => x.key.startsWith("shared_")).flatMap((x) => x.examples.map((ex) => ex.row)));
    for (const row of flagged) expect({ seed, row, expected: expected.has(row) }).toEqual({ seed, row, expected: true });
  }
});
