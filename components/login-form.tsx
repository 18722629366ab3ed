"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useState, type ComponentPropsWithRef } from "react";
import { useForm, type FieldError } from "react-hook-form";
import { useHydrated } from "@/components/use-hydrated";
import { safeNextPath } from "@/lib/auth/safe-next";
import { TOO_MANY_FAILED_SIGN_INS, signInSchema, type SignIn, type SignInInput } from "@/lib/auth/sign-in-schema";

// better-auth's answer → one plain sentence. A wrong email and a wrong
// password get the same words: we never say which one was wrong.
async function failureText(res: Response): Promise<string> {
  const { status } = res;
  if (status === 401) return "Wrong email or password. Check both and try again.";
  if (status === 429) {
    // The limit per email (lib/auth/sign-in-limit.ts) says how long to wait.
    const body = (await res.json().catch(() => null)) as { code?: unknown; message?: unknown } | null;
    if (body?.code === TOO_MANY_FAILED_SIGN_INS && typeof body.message === "string") return body.message;
    return "Too many sign-in attempts. Wait a minute, then try again.";
  }
  if (status === 403) return "This account cannot sign in at the moment. Ask an admin.";
  return "Signing in did not work because of a problem on our side. Try again in a moment.";
}

/** Signs in, then loads the next page; a failure comes back as its sentence. */
async function signIn(values: SignIn, next: string): Promise<string> {
  let res: Response;
  try {
    res = await fetch("/api/auth/sign-in/email", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: values.email, password: values.password, rememberMe: true }),
      credentials: "same-origin",
    });
  } catch {
    return "Could not reach the server. Check your connection and try again.";
  }
  if (!res.ok) return failureText(res);
  // A full page load, so every server component sees the new session.
  window.location.assign(safeNextPath(next));
  return new Promise(() => {}); // keep the button busy while the next page loads
}

/**
 * `secureCookies`: the session cookie will be `Secure` (lib/auth/session-cookies.ts).
 * A browser keeps such a cookie only in a secure context (https://, or
 * http:// on localhost / 127.0.0.1); anywhere else sign-in would silently
 * not stick, so the form says so.
 */
export function LoginForm({ next, secureCookies }: { next: string; secureCookies: boolean }) {
  const hydrated = useHydrated();
  const [failure, setFailure] = useState<string | null>(null);
  const needsHttps = hydrated && secureCookies && !window.isSecureContext;

  const {
    register,
    handleSubmit,
    formState: { errors, isSubmitting },
  } = useForm<SignInInput, unknown, SignIn>({
    resolver: zodResolver(signInSchema),
    defaultValues: { email: "", password: "" },
  });

  const onSubmit = handleSubmit(async (values) => {
    setFailure(null);
    setFailure(await signIn(values, next));
  });

  return (
    <form
      className="stack login-form"
      method="post"
      noValidate
      aria-labelledby="login-heading"
      data-hydrated={hydrated ? "true" : undefined}
      onSubmit={onSubmit}
    >
      {needsHttps && (
        <p className="form-error" role="alert" data-testid="needs-https">
          Sign-in needs HTTPS here: open this app over https://, or set BETTER_AUTH_URL=http://… (this
          address) to allow plain HTTP on a trusted network.
        </p>
      )}
      <LoginField id="login-email" label="Email" type="email" autoComplete="username" autoFocus error={errors.email} {...register("email")} />
      <LoginField
        id="login-password"
        label="Password"
        type="password"
        autoComplete="current-password"
        error={errors.password}
        {...register("password")}
      />
      {failure && (
        <p className="form-error" role="alert">
          {failure}
        </p>
      )}
      <button type="submit" className="primary" disabled={!hydrated || isSubmitting} aria-busy={isSubmitting || undefined}>
        Sign in
      </button>
    </form>
  );
}

/** A labelled input with its validation message, tied together for screen readers. */
function LoginField({
  id,
  label,
  error,
  ...input
}: { id: string; label: string; error?: FieldError } & ComponentPropsWithRef<"input">) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} {...input} />
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error.message}
        </p>
      )}
    </div>
  );
}
