// Runs once when the Next.js server starts: creates the first admin account
// from ADMIN_EMAIL / ADMIN_PASSWORD when there are no staff accounts yet, and
// runs the worker inside the app unless WORKER_IN_APP=false (then run
// `npm run worker` separately).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { bootstrapAdmin } = await import("./lib/auth/bootstrap-admin");
  await bootstrapAdmin();
  const { startAppWorker } = await import("./lib/queue/app-worker");
  startAppWorker();
}
