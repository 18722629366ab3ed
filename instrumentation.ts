// Runs once when the Next.js server starts: the worker runs inside the app
// unless WORKER_IN_APP=false (then run `npm run worker` separately).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startAppWorker } = await import("./lib/queue/app-worker");
  startAppWorker();
}
