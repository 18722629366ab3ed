import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/login-form";
import { secureCookiesFor } from "@/lib/auth/better-auth";
import { getStaffUser } from "@/lib/auth/staff-session";
import { safeNextPath } from "@/lib/auth/safe-next";

export const metadata = { title: "Sign in · Target import" };
export const dynamic = "force-dynamic";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function LoginPage({ searchParams }: { searchParams: SearchParams }) {
  const raw = (await searchParams).next;
  const next = safeNextPath(Array.isArray(raw) ? raw[0] : raw);
  // Already signed in (checked for real, not just a cookie): go on.
  if (await getStaffUser()) redirect(next);
  return (
    <main className="login">
      <h1 id="login-heading">Sign in to Target import</h1>
      <p className="hint">Use the email address and password your admin gave you.</p>
      <LoginForm next={next} secureCookies={secureCookiesFor(await headers())} />
    </main>
  );
}
