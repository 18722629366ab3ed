"use client";

import { useHydrated } from "@/components/use-hydrated";

/**
 * A set-password link, shown once: the server gives its path, the page its
 * address as the admin reached it (behind a proxy, the public one).
 */
export function OneTimeLink({ path, email }: { path: string; email: string }) {
  const hydrated = useHydrated();
  const link = hydrated ? new URL(path, window.location.origin).toString() : path;
  return (
    <div className="token-once" role="status">
      <p>
        <strong>Give this link to {email} now: it will not be shown again.</strong> It sets their password once, and stops working
        after 24 hours.
      </p>
      <code data-testid="set-password-link">{link}</code>{" "}
      <button type="button" onClick={() => navigator.clipboard?.writeText(link)}>
        Copy link
      </button>
    </div>
  );
}
