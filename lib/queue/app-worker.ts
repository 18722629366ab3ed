import { db } from "../db/client";
import { env } from "../env";
import { startWorker, type WorkerHandle } from "./worker";

/** Starts this process's worker (once) and stops it cleanly on SIGTERM/SIGINT. */
export function startAppWorker(): WorkerHandle | null {
  const g = globalThis as unknown as { __worker?: WorkerHandle | null };
  if (g.__worker !== undefined) return g.__worker;
  if (!env().WORKER_IN_APP) return (g.__worker = null);
  const worker = startWorker(db());
  g.__worker = worker;
  const stop = () => {
    // A job cut short resumes from its last committed chunk on the next start.
    void worker.stop().finally(() => process.exit(0));
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  return worker;
}
