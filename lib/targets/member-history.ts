// A member's page: the member as stored, and its history, newest first, read
// from what undo keeps already (issue 18). The member's last writer, then
// each before-image's, name the jobs (imports and undos) that wrote it;
// target_change gives the batch row holding the member's before-image in
// each; a before-image is the member's state just before that job, so a
// job's changes are its before-image against the next later job's (or, for
// the newest, the member as it is now). Retention deletes both
// with a job's details, and erasure deletes the member's target_change rows and
// turns its before-images into tombstones, so an erased member is in no one's
// history.
import "server-only";
import type { Db } from "../db/client";
import { importTitle, startedByOf } from "../imports/import-heading";
import { entryOf } from "../merge/before-images";
import type { JobSource } from "../vocabulary";
import { isoOf, listedMember, type ListedMember } from "./search-targets";
import { blankTarget, changedKeys, valueOf, type AttributeValue, type TargetState } from "./target-state";

/** The newest jobs a page shows (each reads its batch's row of before-images). */
export const HISTORY_LIMIT = 50;

export type FieldChange = { key: string; before: AttributeValue | number; after: AttributeValue | number };

export type HistoryEntry = {
  jobId: string;
  source: JobSource;
  /** The job's title as its page has it: "branch.csv", "API import", "Undo of branch.csv". */
  title: string;
  /** Who started it, as its page says it. */
  by: string;
  /** When it ended (or began, while it runs), ISO 8601. */
  at: string;
  /** created: the member did not exist before it; deleted: it removed the member (an undo). */
  kind: "created" | "changed" | "deleted";
  fields: FieldChange[];
};

export type MemberHistory = {
  member: ListedMember;
  entries: HistoryEntry[];
  /** Older changes happened but are no longer kept (retention deleted them, or they predate the history). */
  olderNotKept: boolean;
  /** More than HISTORY_LIMIT jobs wrote the member: only the newest are listed. */
  more: boolean;
};

type JobRow = {
  id: string;
  source: JobSource;
  file_name: string | null;
  api_user_id: string | null;
  started_at: unknown;
  finished_at: unknown;
  details_purged_at: unknown;
  staff_name: string | null;
  staff_email: string | null;
  api_name: string | null;
  undone_file_name: string | null;
  undone_api_user_id: string | null;
  reverts: string | null;
  entries: string | null;
};

// One job's row and its before-image of the member, found by target_change's
// key (the job's seq and the member's id).
const JOB = `SELECT j.id, j.source, j.file_name, j.api_user_id, j.started_at, j.finished_at, j.details_purged_at, j.reverts,
    s.name AS staff_name, s.email AS staff_email, a.name AS api_name,
    u.file_name AS undone_file_name, u.api_user_id AS undone_api_user_id, c.entries
  FROM target_change tc
  JOIN import_job j ON j.seq = tc.job_seq
  LEFT JOIN import_change c ON c.job_id = j.id AND c.first_ordinal = tc.batch
  LEFT JOIN staff_user s ON s.id = j.staff_user_id
  LEFT JOIN api_user a ON a.id = j.api_user_id
  LEFT JOIN import_job u ON u.id = j.reverts
  WHERE tc.job_seq = ? AND tc.external_id = ?`;

/** Every field whose value differs between two states of the member (null: it did not exist). */
function fieldChanges(externalId: string, before: TargetState | null, after: TargetState | null): FieldChange[] {
  const was = before ?? blankTarget(externalId);
  const now = after ?? blankTarget(externalId);
  return changedKeys(was, now).map((key) => ({ key, before: valueOf(was, key), after: valueOf(now, key) }));
}

function entryOfJob(job: JobRow, before: TargetState | null, after: TargetState | null, fields: FieldChange[]): HistoryEntry {
  const staff = job.staff_email === null ? null : { name: job.staff_name, email: job.staff_email };
  const undone = job.reverts ? { fileName: job.undone_file_name, apiUserId: job.undone_api_user_id } : null;
  return {
    jobId: job.id,
    source: job.source,
    title: importTitle({ source: job.source, dryRun: false, fileName: job.file_name, apiUserId: job.api_user_id }, undone),
    by: startedByOf(job.api_name === null ? null : { name: job.api_name }, staff),
    at: isoOf(job.finished_at ?? job.started_at),
    kind: before === null ? "created" : after === null ? "deleted" : "changed",
    fields,
  };
}

/**
 * The member and its history, newest first; null when there is no such
 * member (never imported, erased, or deleted by an undo). The history is
 * followed back from the member's last writer: each job's before-image names
 * the writer before it (its last_job_seq), so no index by member is needed.
 */
export async function memberHistory(d: Db, externalId: string): Promise<MemberHistory | null> {
  const row = await d.sql.get("SELECT * FROM target WHERE external_id = ?", [externalId]);
  if (!row) return null;
  const member = listedMember(row);
  const entries: HistoryEntry[] = [];
  let after: TargetState | null = member;
  let seq = member.lastJobSeq ?? null;
  for (let jobs = 0; seq !== null; jobs++) {
    if (jobs === HISTORY_LIMIT) return { member, entries, olderNotKept: false, more: true };
    const job = await d.sql.get<JobRow>(JOB, [seq, externalId]);
    // a job past retention: its before-images are going or gone
    const change = job && job.details_purged_at === null && job.entries !== null ? entryOf(job.entries, externalId) : undefined;
    if (!job || !change) return { member, entries, olderNotKept: true, more: false };
    const fields = fieldChanges(externalId, change.before, after);
    // nothing differs: a job that gave up and undid itself
    if (fields.length > 0) entries.push(entryOfJob(job, change.before, after, fields));
    after = change.before;
    seq = change.before?.lastJobSeq ?? null;
  }
  // the oldest writer found the member there already, written by no job (a target stored before history was kept)
  return { member, entries, olderNotKept: after !== null, more: false };
}
