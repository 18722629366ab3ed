// The wizard's lib verbs for safe imports: a dry-run upload ("Preview
// changes") with per-field clears, started for real from its staged rows
// without sending them again (once, however often asked), and the undo's
// plan, which must foretell exactly what the undo then does.
import { randomUUID } from "node:crypto";
import { describe, expect, test } from "vitest";
import { importResultOf, revertResultOf } from "@/lib/imports/deferred-result";
import { getPreview } from "@/lib/imports/preview";
import { requestRevert } from "@/lib/imports/revert-import";
import { planRevert } from "@/lib/imports/revert-plan";
import { appendUploadChunk, beginUpload, finishUpload, startPreviewedImport } from "@/lib/imports/upload-import";
import { submitImport } from "@/lib/imports/submit-import";
import { beginUploadSchema } from "@/lib/imports/upload-schema";
import { parseInput } from "@/lib/invalid-payload";
import { getTarget } from "@/lib/targets/get-target";
import { dbWithEngine, settledResult } from "../support/engine-db";
import { DIALECTS } from "../support/test-db";

const COLUMNS = ["Member No", "Name", "Email", "Mobile"];
const MAPPING = ["external_id", "first_name", "email", "phone_number"];

describe.each(DIALECTS)("preview and undo (%s)", (dialect) => {
  const t = dbWithEngine(dialect);
  const ready = (id: string) => settledResult(t.db, id);

  async function upload(rows: string[][], dryRun: boolean): Promise<string> {
    const uploadId = randomUUID();
    await beginUpload(t.db, "staff-1", parseInput(beginUploadSchema, { uploadId, fileName: "m.csv", columns: COLUMNS, mapping: MAPPING, strategy: "reject", totalRows: rows.length, dryRun }));
    await appendUploadChunk(t.db, "staff-1", { uploadId, no: 0, rows });
    await finishUpload(t.db, "staff-1", { uploadId });
    await ready(uploadId);
    return uploadId;
  }

  test("a preview writes nothing and names conflicts; Start runs the same rows once", async () => {
    await upload(
      [
        ["P1", "Ann", "p1@example.org", "07565000001"],
        ["P2", "Bob", "p2@example.org", ""],
        ["P3", "Cy", "p3@example.org", ""],
      ],
      false,
    );
    const rows = [
      ["P1", "Ann", "new1@example.org", ""],
      ["P2", "Bobby", "p2@example.org", ""],
      ["P4", "Dee", "p3@example.org", ""], // P3 holds it: a conflict
      ["P5", "Eve", "", ""],
    ];
    const previewId = await upload(rows, true);
    const preview = await getPreview(t.db, previewId, "staff-1");
    expect(preview.job.dry_run).toBe(true);
    expect(importResultOf(preview.job)).toMatchObject({ created: 1, updated: 2, rejected: 1, field_changes: { email: 1, first_name: 1 } });
    expect(preview.ready!.conflicts).toMatchObject({ total: 1, first: [{ row: 3, externalId: "P4", field: "email", conflicting: ["P3"] }] });
    expect(await getTarget(t.db, "P1")).toMatchObject({ email: "p1@example.org" });
    await expect(getPreview(t.db, previewId, "staff-2")).rejects.toMatchObject({ code: "not_found" });

    const [a, b] = await Promise.all([
      startPreviewedImport(t.db, "staff-1", { previewId }),
      startPreviewedImport(t.db, "staff-1", { previewId }),
    ]);
    expect(a.id).toBe(b.id);
    expect(a.id).not.toBe(previewId);
    const real = await ready(a.id);
    expect(real.dry_run).toBe(false);
    expect(importResultOf(real)).toEqual({ ...importResultOf(preview.job) });
    expect(await getTarget(t.db, "P1")).toMatchObject({ email: "new1@example.org" });
    expect(await t.db.prisma.importJob.count({ where: { startedFrom: previewId } })).toBe(1);
    // an import is not a preview
    await expect(startPreviewedImport(t.db, "staff-1", { previewId: a.id })).rejects.toMatchObject({ code: "invalid_payload" });
  });

  test("clearing a value counts in field_changes and in the job's clears", async () => {
    const job = await submitImport(t.db, {
      source: "records",
      strategy: "reject",
      dryRun: true,
      records: [
        { external_id: "P1", email: null, phone_number: null },
        { external_id: "P3", first_name: "Cyril" },
      ],
    });
    expect(importResultOf(await ready(job.id)).field_changes).toEqual({ email: 1, phone_number: 1, first_name: 1 });
    const row = await t.db.prisma.importJob.findUniqueOrThrow({ where: { id: job.id } });
    expect(JSON.parse(row.fieldClears)).toEqual({ email: 1, phone_number: 1 });
  });

  test("the undo's plan foretells exactly what the undo does, changed-since members included", async () => {
    await upload([["U1", "Ann", "u1@example.org", ""], ["U2", "Bob", "u2@example.org", ""]], false);
    const importId = await upload(
      [
        ["U1", "Annie", "u1new@example.org", ""],
        ["U2", "Bobby", "", ""],
        ["U3", "Cy", "u3@example.org", ""],
      ],
      false,
    );
    await upload([["U2", "Robert", "", ""]], false); // U2 changed since
    const plan = await planRevert(t.db, importId);
    expect(plan).toMatchObject({
      total: 3,
      deleted: { count: 1, first: ["U3"] },
      restored: { count: 1, first: [{ externalId: "U1" }] },
      skipped: { count: 1, changedSince: 1, conflict: 0, first: [{ externalId: "U2", code: "changed_since" }] },
    });
    expect(plan.restored.first[0].fields).toEqual([
      { key: "first_name", now: "Annie", restored: "Ann" },
      { key: "email", now: "u1new@example.org", restored: "u1@example.org" },
    ]);
    const revert = await requestRevert(t.db, importId, { staff: true }, "staff-1");
    const done = revertResultOf(await ready(revert.id));
    expect(done).toMatchObject({ total: 3, deleted: 1, restored: 1, skipped: 1, errors: [{ external_id: "U2", code: "changed_since" }] });
    expect(await getTarget(t.db, "U1")).toMatchObject({ first_name: "Ann", email: "u1@example.org" });
  });

  test("the plan foretells a conflict: the old email another member took since", async () => {
    await upload([["C1", "Ann", "c1@example.org", ""]], false);
    const importId = await upload([["C1", "Ann", "c1.new@example.org", ""]], false);
    await submitImport(t.db, { source: "records", strategy: "reject", records: [{ external_id: "C2", email: "c1@example.org" }] }).then((j) => ready(j.id));
    const plan = await planRevert(t.db, importId);
    expect(plan).toMatchObject({ total: 1, restored: { count: 0 }, skipped: { count: 1, conflict: 1, first: [{ externalId: "C1", code: "conflict" }] } });
    const revert = await requestRevert(t.db, importId, { staff: true }, "staff-1");
    const done = revertResultOf(await ready(revert.id));
    expect(done).toMatchObject({ skipped: 1, errors: [{ external_id: "C1", code: "conflict", conflicting_external_ids: ["C2"] }] });
    expect(plan.skipped.first[0].message).toBe(done.errors[0].message);
  });
});
