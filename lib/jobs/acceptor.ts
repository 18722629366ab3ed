// Group commit for accepting jobs: requests that arrive while a commit is
// under way are accepted together in the next transaction. Acceptance is
// serialised anyway (one lock gives out the merge order), so under load this
// turns many lock waits and commits into one, and the answer to each request
// still comes only after its job is durably stored.
import "server-only";
import type { SqlConn } from "../db/sql-conn";
import { AppError } from "../errors";
import { createJobs, type Accepted, type NewJob } from "./accept-jobs";
import { signalJobAccepted } from "./job-signal";

/** Most jobs in one transaction (each holds up to 1000 records, ~10 MB at most). */
const MAX_GROUP = 64;

type Pending = { job: NewJob; resolve(a: Accepted): void; reject(e: unknown): void };

class Acceptor {
  private queue: Pending[] = [];
  private running = false;
  constructor(private readonly conn: SqlConn) {}

  accept(job: NewJob): Promise<Accepted> {
    return new Promise((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0) {
        const group = this.queue.splice(0, MAX_GROUP);
        try {
          const results = await createJobs(this.conn, group.map((p) => p.job));
          results.forEach((r, i) => (r instanceof AppError ? group[i].reject(r) : group[i].resolve(r)));
          signalJobAccepted();
        } catch (e) {
          for (const p of group) p.reject(e);
        }
      }
    } finally {
      this.running = false;
    }
  }
}

const acceptors = new WeakMap<SqlConn, Acceptor>();

/** Accepts one job through this connection's group commit. */
export function acceptJob(conn: SqlConn, job: NewJob): Promise<Accepted> {
  let a = acceptors.get(conn);
  if (!a) acceptors.set(conn, (a = new Acceptor(conn)));
  return a.accept(job);
}
