"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { ActionButton } from "@/components/action-button";
import { FormFailure, FormField } from "@/components/form-field";
import { beginTwoFactorAction, confirmTwoFactorAction, turnOffTwoFactorAction } from "@/lib/actions/account";
import { confirmPasswordSchema, totpCodeSchema, type ConfirmPasswordInput, type TotpCodeInput } from "@/lib/auth/account-schema";
import type { TwoFactorSetup } from "@/lib/auth/own-account";
import type { ActionResult } from "@/lib/http/action-result";
import { QrCode } from "./qr-code";
import { showActionError } from "./show-action-error";

/** The secret as an app's "enter a setup key" field takes it: groups of four. */
const grouped = (secret: string) => secret.replace(/(.{4})(?=.)/g, "$1 ");

/**
 * Two-factor sign-in on /account: off → password → QR code and secret →
 * first code → backup codes, shown this once; on → turn off (unless an
 * admin requires it).
 */
export function TwoFactorPanel({ enabled, required }: { enabled: boolean; required: boolean }) {
  const [setup, setSetup] = useState<TwoFactorSetup | null>(null);
  const [confirmed, setConfirmed] = useState(false);
  if (setup && confirmed) return <BackupCodes codes={setup.backupCodes} />;
  if (setup) return <ScanStep setup={setup} onConfirmed={() => setConfirmed(true)} />;
  if (enabled) {
    return (
      <>
        <p>
          <strong>On.</strong> Each sign-in asks for a code from your authenticator app after your password.
        </p>
        {required ? <p className="hint">An admin requires two-factor sign-in for every staff account, so it cannot be turned off.</p> : <TurnOff />}
      </>
    );
  }
  return (
    <>
      <p>
        <strong>Off.</strong> With two-factor sign-in, a password alone is not enough: each sign-in also asks for a code from an app on
        your phone (such as Google Authenticator, Microsoft Authenticator or 1Password).
      </p>
      <PasswordStep
        id="two-factor-password"
        label="Your password, to set it up"
        button="Set up two-factor sign-in"
        onPassword={async (password) => {
          const r = await beginTwoFactorAction({ password });
          if (r.ok) setSetup(r.data);
          return r;
        }}
      />
    </>
  );
}

type Result = ActionResult<unknown>;

function PasswordStep({ id, label, button, onPassword }: { id: string; label: string; button: string; onPassword: (p: string) => Promise<Result> }) {
  const form = useForm<ConfirmPasswordInput>({ resolver: zodResolver(confirmPasswordSchema), defaultValues: { password: "" } });
  const { register, handleSubmit, formState } = form;
  return (
    <form
      className="stack"
      noValidate
      aria-label={button}
      onSubmit={handleSubmit(async ({ password }) => {
        const r = await onPassword(password);
        if (!r.ok) showActionError(form, r.error);
      })}
    >
      <FormField id={id} label={label} type="password" autoComplete="current-password" error={formState.errors.password} {...register("password")} />
      <FormFailure message={formState.errors.root?.message} />
      <ActionButton type="submit" disabled={formState.isSubmitting} aria-busy={formState.isSubmitting || undefined}>
        {button}
      </ActionButton>
    </form>
  );
}

function ScanStep({ setup, onConfirmed }: { setup: TwoFactorSetup; onConfirmed: () => void }) {
  const form = useForm<TotpCodeInput, unknown, { code: string }>({ resolver: zodResolver(totpCodeSchema), defaultValues: { code: "" } });
  const { register, handleSubmit, formState } = form;
  return (
    <div className="two-factor-setup">
      <ol>
        <li>
          Scan this QR code with your authenticator app:
          <QrCode text={setup.uri} label="QR code to add Target import to your authenticator app" />
        </li>
        <li>
          Or, if you cannot scan it, type this setup key into the app:{" "}
          <code data-testid="two-factor-secret" aria-label="Setup key">
            {grouped(setup.secret)}
          </code>
        </li>
        <li>Enter the code the app then shows, to check that it works.</li>
      </ol>
      <form
        className="stack"
        noValidate
        aria-label="Check the code"
        onSubmit={handleSubmit(async ({ code }) => {
          const r = await confirmTwoFactorAction({ code });
          if (r.ok) onConfirmed();
          else showActionError(form, r.error);
        })}
      >
        <FormField
          id="two-factor-code"
          label="Code from your app"
          autoComplete="one-time-code"
          inputMode="numeric"
          autoFocus
          error={formState.errors.code}
          {...register("code")}
        />
        <FormFailure message={formState.errors.root?.message} />
        <ActionButton type="submit" className="primary" disabled={formState.isSubmitting} aria-busy={formState.isSubmitting || undefined}>
          Turn on two-factor sign-in
        </ActionButton>
      </form>
    </div>
  );
}

function BackupCodes({ codes }: { codes: string[] }) {
  return (
    <div className="token-once" role="status">
      <p>
        <strong>Two-factor sign-in is on.</strong> Save these backup codes now, somewhere other than your phone: they will not be shown
        again. Each one signs you in once if you lose your phone.
      </p>
      <ul className="backup-codes" aria-label="Backup codes">
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ul>
      {/* A full load: the header offers every page again once nothing is pending. */}
      <a href="/account">I have saved them</a>
    </div>
  );
}

function TurnOff() {
  const router = useRouter();
  return (
    <PasswordStep
      id="turn-off-password"
      label="Your password, to turn it off"
      button="Turn off two-factor sign-in"
      onPassword={async (password) => {
        const r = await turnOffTwoFactorAction({ password });
        if (r.ok) router.refresh();
        return r;
      }}
    />
  );
}
