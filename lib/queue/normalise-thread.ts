// A normaliser thread: runs tasks one after another as they come.
import "server-only";
import { parentPort } from "node:worker_threads";
import { runNormaliseTask, type NormaliseTask } from "./normalise-task";

parentPort!.on("message", ({ id, task }: { id: number; task: NormaliseTask }) => {
  try {
    parentPort!.postMessage({ id, results: runNormaliseTask(task) });
  } catch (e) {
    parentPort!.postMessage({ id, error: e instanceof Error ? e.message : String(e) });
  }
});
