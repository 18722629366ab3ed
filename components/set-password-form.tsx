"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import Link from "next/link";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { setPasswordSchema, type SetPassword } from "@/lib/staff/staff-schema";
import { useHydrated } from "@/components/use-hydrated";

export const LINK_USED_OR_EXPIRED = "This link has already been used or has expired. Ask an admin for a new one.";

type Outcome = { ok: true } | { ok: false; message: string };

/** better-auth's reset-password endpoint with the link's token: it sets the password and uses the token up. */
async function setPassword(token: string, newPassword: string): Promise<Outcome> {
  let res: Response;
  try {
    res = await fetch("/api/auth/reset-password", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ token, newPassword }),
      credentials: "same-origin",
    });
  } catch {
    return { ok: false, message: "Could not reach the server. Check your connection and try again." };
  }
  if (res.ok) return { ok: true };
  const body = (await res.json().catch(() => null)) as { code?: unknown } | null;
  if (body?.code === "INVALID_TOKEN") return { ok: false, message: LINK_USED_OR_EXPIRED };
  if (res.status === 429) return { ok: false, message: "Too many tries. Wait a minute, then try again." };
  return { ok: false, message: "Setting your password did not work because of a problem on our side. Try again in a moment." };
}

/** Choose a password with a one-time link: typed twice, then sign in with it. */
export function SetPasswordForm({ token }: { token: string }) {
  const hydrated = useHydrated();
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const { register, handleSubmit, formState } = useForm<SetPassword>({
    resolver: zodResolver(setPasswordSchema),
    defaultValues: { password: "", again: "" },
  });
  const { errors, isSubmitting } = formState;
  if (outcome?.ok) {
    return (
      <p role="status">
        Your password is set. <Link href="/login">Sign in</Link> with your email address and it.
      </p>
    );
  }
  return (
    <form
      className="stack"
      noValidate
      aria-labelledby="set-password-heading"
      data-hydrated={hydrated ? "true" : undefined}
      onSubmit={handleSubmit(async (v) => setOutcome(await setPassword(token, v.password)))}
    >
      <label>
        New password (at least 8 characters){" "}
        <input type="password" autoComplete="new-password" autoFocus aria-invalid={!!errors.password} {...register("password")} />
        {errors.password && <span className="field-error">{errors.password.message}</span>}
      </label>
      <label>
        The same password again <input type="password" autoComplete="new-password" aria-invalid={!!errors.again} {...register("again")} />
        {errors.again && <span className="field-error">{errors.again.message}</span>}
      </label>
      {outcome && !outcome.ok && (
        <p className="form-error" role="alert">
          {outcome.message}
        </p>
      )}
      <button type="submit" className="primary" disabled={!hydrated || isSubmitting} aria-busy={isSubmitting || undefined}>
        Set password
      </button>
    </form>
  );
}
