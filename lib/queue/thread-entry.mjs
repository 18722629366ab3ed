// Starts a worker thread on a TypeScript module: the engine runs from source
// (tsx), and a thread does not inherit its parent's module hooks.
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.entry);
