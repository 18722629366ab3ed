import { RequireTwoFactorForm } from "@/components/settings/require-two-factor-form";
import { requireStaffUser } from "@/lib/auth/staff-session";
import { db } from "@/lib/db/client";
import { getSetting } from "@/lib/settings/app-settings";

export const dynamic = "force-dynamic";
export const metadata = { title: "Settings · Target import" };

// Admins only; each change is audited (setting_changed).
export default async function SettingsPage() {
  await requireStaffUser({ role: "admin" });
  const requireTwoFactor = await getSetting(db(), "requireTwoFactor");
  return (
    <main>
      <h1>Settings</h1>
      <section aria-labelledby="two-factor-setting-heading">
        <h2 id="two-factor-setting-heading">Two-factor sign-in</h2>
        <RequireTwoFactorForm value={requireTwoFactor} />
      </section>
    </main>
  );
}
