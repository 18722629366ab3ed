// Runs once when the Next.js server starts: creates the first admin account
// from ADMIN_EMAIL / ADMIN_PASSWORD when there are no staff accounts yet.
// The import engine is not here: it runs in a process of its own, started
// beside this one by `npm start` (scripts/start.mjs) or as `npm run worker`.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { bootstrapAdmin } = await import("./lib/auth/bootstrap-admin");
  await bootstrapAdmin();
}
