import Papa from "papaparse";
import { describe, expect, test } from "vitest";
import { listImports } from "@/lib/imports/list-imports";
import { rejectedRowsCsv } from "@/lib/imports/rejected-rows-csv";
import { submitImport } from "@/lib/imports/submit-import";
import { createApiUserWithToken } from "@/lib/auth/api-tokens";
import { dbWithEngine, readyResult } from "../support/engine-db";
import { DIALECTS } from "../support/test-db";

async function collect(gen: AsyncGenerator<string>): Promise<string> {
  let s = "";
  for await (const part of gen) s += part;
  return s;
}

describe.each(DIALECTS)("rejected rows and history (%s)", (dialect) => {
  // batches of 2: the download reads problems across several transactions
  const t = dbWithEngine(dialect, { batchSize: 2 });

  const runJob = async (records: Record<string, unknown>[]) => {
    const { id } = await submitImport(t.db, { source: "records", strategy: "reject", records });
    await readyResult(t.db, id);
    return id;
  };

  test("the download holds exactly the rejected rows, originals and reasons, formulas neutralised", async () => {
    await runJob([{ external_id: "R0", email: "taken@example.org" }]);
    const id = await runJob(
      [
        { external_id: "R1", first_name: "Fine" },
        { external_id: "R2", email: "taken@example.org", first_name: "=HYPERLINK(\"x\")" },
        { external_id: "R3", email: "nope@", phone_number: "+12", note_field: "x" },
        { external_id: "R4", first_name: "Also fine" },
        { external_id: "R5", phone_number: "@SUM(A1)" },
      ],
    );
    const csv = await collect(rejectedRowsCsv(t.db, id, { staff: true }));
    const rows = Papa.parse<string[]>(csv.trim()).data;
    const header = rows[0];
    expect(header[0]).toBe("external_id");
    expect(header.at(-1)).toBe("rejection_reason");
    const byId = new Map(rows.slice(1).map((r) => [r[0], Object.fromEntries(header.map((h, i) => [h, r[i]]))]));
    expect([...byId.keys()]).toEqual(["R2", "R3", "R5"]);
    expect(byId.get("R2")!.first_name).toBe("'=HYPERLINK(\"x\")");
    expect(byId.get("R2")!.rejection_reason).toMatch(/already belongs to R0/);
    expect(byId.get("R3")!.phone_number).toBe("+12"); // a number, not a formula: left as it is
    expect(byId.get("R3")!.rejection_reason.split("; ")).toHaveLength(3);
    expect(byId.get("R5")!.phone_number).toBe("'@SUM(A1)");
  });

  test("the history lists jobs newest first, with who started them, filtered and paged", async () => {
    const { apiUserId } = await createApiUserWithToken(t.db, "Membership system");
    const { id } = await submitImport(t.db, {
      source: "records",
      strategy: "reject",
      records: [{ external_id: "H1" }],
      apiUserId,
    });
    await readyResult(t.db, id);
    const all = await listImports(t.db, { page: 1 });
    expect(all.items[0]).toMatchObject({ id, source: "records", status: "ready", startedBy: { kind: "api", name: "Membership system" }, created: 1 });
    expect(all.items.map((i) => i.createdAt.getTime())).toEqual([...all.items.map((i) => i.createdAt.getTime())].sort((a, b) => b - a));
    expect((await listImports(t.db, { page: 1, status: "failed" })).items).toHaveLength(0);
    expect((await listImports(t.db, { page: 1, source: "csv_url" })).total).toBe(0);
    expect((await listImports(t.db, { page: 1, source: "records" })).total).toBe(all.total);
  });
});
