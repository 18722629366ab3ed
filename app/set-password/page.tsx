import Link from "next/link";
import { LINK_USED_OR_EXPIRED, SetPasswordForm } from "@/components/set-password-form";

export const metadata = { title: "Choose your password · Target import" };
export const dynamic = "force-dynamic";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

// Public (proxy.ts lets it through): whoever holds a one-time link an admin
// gave them. better-auth's link checks the token first and sends the browser
// here with ?token=… or, used or expired, ?error=INVALID_TOKEN; the token is
// checked again when the password is set.
export default async function SetPasswordPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const token = typeof params.token === "string" && !params.error ? params.token : null;
  return (
    <main className="login">
      <h1 id="set-password-heading">Choose your password</h1>
      {token ? (
        <SetPasswordForm token={token} />
      ) : (
        <>
          <p className="form-error" role="alert">
            {LINK_USED_OR_EXPIRED}
          </p>
          <p>
            <Link href="/login">Sign in</Link> if you have set your password already.
          </p>
        </>
      )}
    </main>
  );
}
