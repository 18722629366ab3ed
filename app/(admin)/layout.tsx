import type { ReactNode } from "react";
import { AppHeader } from "@/components/app-header";
import { FocusContent } from "@/components/focus-content";
import { requireStaffUser } from "@/lib/auth/staff-session";

// Every page in the admin app needs a signed-in staff user (checked against
// the database here and again by each page; proxy.ts only looks at cookies).
export const dynamic = "force-dynamic";

export default async function AdminLayout({ children }: { children: ReactNode }) {
  // each page checks again, and sends a user with a pending step to /account
  const user = await requireStaffUser({ allowPending: true });
  return (
    <>
      <AppHeader user={user} />
      <FocusContent />
      <div id="content" className="content" tabIndex={-1}>
        {children}
      </div>
    </>
  );
}
