import Link from "next/link";
import { requireStaffUser } from "@/lib/auth/staff-session";

export const metadata = { title: "Admins only · Target import" };
export const dynamic = "force-dynamic";

// Where requireStaffUser({ role: "admin" }) sends a staff user (403).
export default async function ForbiddenPage() {
  await requireStaffUser();
  return (
    <main>
      <h1>Admins only</h1>
      <p>This page is for admin accounts. If you need it, ask one of your admins.</p>
      <p>
        <Link href="/imports">Go to imports</Link>
      </p>
    </main>
  );
}
