import Link from "next/link";

// What a staff user sees, with status 403, at an admin-only page's own
// address (requireStaffUser({ role: "admin" }) calls forbidden()). Inside the
// admin layout, so the header and sign-out stay.
export default function Forbidden() {
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
