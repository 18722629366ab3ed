// A worker's hold on a job (running it, or staging a CSV by URL ahead of its
// turn): each write it makes is fenced by the lease, so a worker that lost
// the job stops without writing.

/** Thrown when another worker has taken the job (or its staging) over: stop without writing. */
export class LeaseLostError extends Error {
  constructor(jobId: string) {
    super(`lease on job ${jobId} was lost`);
    this.name = "LeaseLostError";
  }
}

export type Lease = { jobId: string; workerId: string; leaseMs: number };

/**
 * Thrown by a merge batch's fence when the job's cancel was asked for: the
 * batch writes nothing, and the engine undoes what the job merged and ends
 * it cancelled (lib/queue/run-job.ts).
 */
export class CancelRequestedError extends Error {
  constructor(jobId: string) {
    super(`job ${jobId}: cancel requested`);
    this.name = "CancelRequestedError";
  }
}
