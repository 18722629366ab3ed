// The accounts the e2e tests sign in with. The admin is made by the app's
// own first-start bootstrap (playwright.config.ts sets ADMIN_EMAIL /
// ADMIN_PASSWORD); the staff account by `npm run user:create` (e2e/fixtures.ts).
export const ADMIN_EMAIL = "admin@e2e.example.org";
export const ADMIN_PASSWORD = "e2e admin password";
export const STAFF_EMAIL = "staff@e2e.example.org";
export const STAFF_PASSWORD = "e2e staff password";
