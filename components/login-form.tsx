"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { FormFailure, FormField } from "@/components/form-field";
import { useHydrated } from "@/components/use-hydrated";
import { safeNextPath } from "@/lib/auth/safe-next";
import {
  RESTART_SIGN_IN_CODES,
  TOO_MANY_FAILED_SIGN_INS,
  signInBackupCodeSchema,
  signInCodeSchema,
  signInSchema,
  type SignIn,
  type SignInCodeInput,
  type SignInInput,
} from "@/lib/auth/sign-in-schema";

type Answer = { status: number; code?: string; message?: string; twoFactorRedirect?: boolean };

/** Posts to better-auth; null when the server could not be reached. */
async function post(path: string, body: object): Promise<Answer | null> {
  try {
    const res = await fetch(`/api/auth${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      credentials: "same-origin",
    });
    const json = (await res.json().catch(() => null)) as Omit<Answer, "status"> | null;
    return { status: res.status, ...json };
  } catch {
    return null;
  }
}

// better-auth's answer → one plain sentence. A wrong email and a wrong
// password get the same words: we never say which one was wrong.
function failureText(a: Answer | null, wrong: string): string {
  if (!a) return "Could not reach the server. Check your connection and try again.";
  if (a.status === 401) return wrong;
  if (a.status === 429) {
    // The limit per email (lib/auth/sign-in-limit.ts) says how long to wait.
    if (a.code === TOO_MANY_FAILED_SIGN_INS && a.message) return a.message;
    return "Too many sign-in attempts. Wait a minute, then try again.";
  }
  if (a.status === 403) return "This account cannot sign in at the moment. Ask an admin.";
  return "Signing in did not work because of a problem on our side. Try again in a moment.";
}

/** Loads the next page in full, so every server component sees the new session; the button stays busy meanwhile. */
function goOn(next: string): Promise<never> {
  window.location.assign(safeNextPath(next));
  return new Promise(() => {});
}

/**
 * Email and password, then (for an account with two-factor sign-in) the
 * code from the app or a backup code.
 *
 * `secureCookies`: the session cookie will be `Secure` (lib/auth/session-cookies.ts).
 * A browser keeps such a cookie only in a secure context (https://, or
 * http:// on localhost / 127.0.0.1); anywhere else sign-in would silently
 * not stick, so the form says so.
 */
export function LoginForm({ next, secureCookies }: { next: string; secureCookies: boolean }) {
  const hydrated = useHydrated();
  const [failure, setFailure] = useState<string | null>(null);
  const [step, setStep] = useState<"password" | "code" | "backup-code">("password");
  const needsHttps = hydrated && secureCookies && !window.isSecureContext;

  const restart = (why: string) => {
    setStep("password");
    setFailure(why);
  };
  if (step !== "password") {
    return <CodeForm key={step} backup={step === "backup-code"} next={next} onSwitch={() => setStep(step === "code" ? "backup-code" : "code")} onRestart={restart} />;
  }
  return <PasswordForm hydrated={hydrated} needsHttps={needsHttps} failure={failure} setFailure={setFailure} next={next} onCode={() => setStep("code")} />;
}

type PasswordProps = {
  hydrated: boolean;
  needsHttps: boolean;
  failure: string | null;
  setFailure: (f: string | null) => void;
  next: string;
  onCode: () => void;
};

function PasswordForm({ hydrated, needsHttps, failure, setFailure, next, onCode }: PasswordProps) {
  const {
    register,
    handleSubmit,
    formState: { errors, isSubmitting },
  } = useForm<SignInInput, unknown, SignIn>({
    resolver: zodResolver(signInSchema),
    defaultValues: { email: "", password: "" },
  });

  const onSubmit = handleSubmit(async (values: SignIn) => {
    setFailure(null);
    const a = await post("/sign-in/email", { email: values.email, password: values.password, rememberMe: true });
    if (a && a.status === 200 && a.twoFactorRedirect) return onCode();
    if (a && a.status === 200) return goOn(next);
    setFailure(failureText(a, "Wrong email or password. Check both and try again."));
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
      <FormField id="login-email" label="Email" type="email" autoComplete="username" autoFocus error={errors.email} {...register("email")} />
      <FormField
        id="login-password"
        label="Password"
        type="password"
        autoComplete="current-password"
        error={errors.password}
        {...register("password")}
      />
      <FormFailure message={failure} />
      <button type="submit" className="primary" disabled={!hydrated || isSubmitting} aria-busy={isSubmitting || undefined}>
        Sign in
      </button>
    </form>
  );
}

type CodeProps = { backup: boolean; next: string; onSwitch: () => void; onRestart: (why: string) => void };

/** The second step: checked by better-auth against the pending sign-in its cookie names. */
function CodeForm({ backup, next, onSwitch, onRestart }: CodeProps) {
  const [failure, setFailure] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    formState: { errors, isSubmitting },
  } = useForm<SignInCodeInput, unknown, { code: string }>({
    resolver: zodResolver(backup ? signInBackupCodeSchema : signInCodeSchema),
    defaultValues: { code: "" },
  });

  const onSubmit = handleSubmit(async ({ code }) => {
    setFailure(null);
    const a = await post(backup ? "/two-factor/verify-backup-code" : "/two-factor/verify-totp", { code });
    if (a && a.status === 200) return goOn(next);
    if (a?.code && RESTART_SIGN_IN_CODES.includes(a.code)) return onRestart("This sign-in has expired or had too many wrong codes. Sign in again.");
    setFailure(
      failureText(a, backup ? "That backup code is not right, or it has been used. Check it and try again." : "That code is not right. Enter the code your app shows now."),
    );
  });

  return (
    <form className="stack login-form" method="post" noValidate aria-labelledby="login-heading" data-hydrated="true" onSubmit={onSubmit}>
      <p>{backup ? "Enter one of the backup codes you saved when you set up two-factor sign-in. Each works once." : "Open your authenticator app and enter the code it shows for Target import."}</p>
      <FormField
        id="login-code"
        label={backup ? "Backup code" : "Code from your app"}
        autoComplete="one-time-code"
        inputMode={backup ? "text" : "numeric"}
        autoFocus
        error={errors.code}
        {...register("code")}
      />
      <FormFailure message={failure} />
      <button type="submit" className="primary" disabled={isSubmitting} aria-busy={isSubmitting || undefined}>
        Sign in
      </button>
      <button type="button" className="link" onClick={onSwitch}>
        {backup ? "Use the code from your app instead" : "Use a backup code instead"}
      </button>
    </form>
  );
}
