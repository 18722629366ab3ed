// Normalisation off the engine's main thread: a few worker threads, each
// taking tasks in turn, so the main thread writes batch n while a thread
// normalises batch n+1 (both cores busy). threads = 0 runs tasks inline.
// A chunk's text goes to a thread once: its later batches go to the same
// thread without it (an upload's chunk may be 4 MB, merged 1,000 rows at a
// time; copying it to the thread for every batch cost more than merging).
import "server-only";
import { Worker } from "node:worker_threads";
import type { NormaliseResult } from "../records/normalise-record";
import { runNormaliseTask, type NormaliseTask } from "./normalise-task";

/**
 * The old-generation heap of the engine and of each normaliser thread. Left
 * to itself V8 lets it grow by far more over a million-row merge before it
 * collects; bounded, it stays flat at the same speed (docs/performance.md).
 */
export const ENGINE_HEAP_MB = 128;

export interface Normaliser {
  normalise(task: NormaliseTask): Promise<NormaliseResult[]>;
  close(): Promise<void>;
}

type Waiting = { resolve(r: NormaliseResult[]): void; reject(e: Error): void };
/** A thread, the tasks it has not answered, and the chunk it holds once it has run what it was sent. */
type Slot = { worker: Worker; waiting: Map<number, Waiting>; holds: string | null };

class ThreadPool implements Normaliser {
  private readonly threads: Slot[] = [];
  private nextId = 1;
  private turn = 0;
  private closed = false;

  constructor(size: number) {
    for (let i = 0; i < size; i++) this.threads.push(this.spawn());
  }

  private spawn() {
    const worker = new Worker(new URL("./thread-entry.mjs", import.meta.url), {
      workerData: { entry: new URL("./normalise-thread.ts", import.meta.url).href },
      // not the parent's flags (a test runner's would not fit): server-only modules load in the thread
      execArgv: ["--no-warnings", "--conditions=react-server"],
      // a bounded heap: collected often enough that memory stays flat (docs/decisions/008)
      resourceLimits: { maxOldGenerationSizeMb: ENGINE_HEAP_MB },
    });
    const slot: Slot = { worker, waiting: new Map<number, Waiting>(), holds: null };
    worker.on("message", (m: { id: number; results?: NormaliseResult[]; error?: string }) => {
      const w = slot.waiting.get(m.id);
      slot.waiting.delete(m.id);
      if (m.error !== undefined) w?.reject(new Error(m.error));
      else w?.resolve(m.results!);
    });
    // A thread that dies (out of memory, a bug) fails its tasks; a new one takes its place.
    worker.on("error", (e) => this.lost(slot, e));
    worker.on("exit", (code) => this.lost(slot, new Error(`normaliser thread exited (${code})`)));
    worker.unref();
    return slot;
  }

  private lost(slot: Slot, e: Error) {
    for (const w of slot.waiting.values()) w.reject(e);
    slot.waiting.clear();
    const i = this.threads.indexOf(slot);
    if (i >= 0 && !this.closed) this.threads[i] = this.spawn();
  }

  normalise(task: NormaliseTask): Promise<NormaliseResult[]> {
    // tasks run in the order sent, so a thread sent a chunk holds it for every later task
    const holder = this.threads.find((t) => t.holds === task.chunkKey);
    const slot = holder ?? this.threads[this.turn++ % this.threads.length];
    slot.holds = task.chunkKey;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      slot.waiting.set(id, { resolve, reject });
      slot.worker.postMessage({ id, task: holder ? { ...task, text: null } : task });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }
}

export function createNormaliser(threads: number): Normaliser {
  if (threads > 0) return new ThreadPool(threads);
  return { normalise: async (task) => runNormaliseTask(task), close: async () => {} };
}
