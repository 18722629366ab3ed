"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { createTokenAction, revokeTokenAction } from "@/lib/actions/tokens";
import { createTokenSchema, type CreateTokenInput } from "@/lib/auth/api-token-schema";
import { ActionButton } from "@/components/action-button";

export function CreateTokenForm() {
  const [token, setToken] = useState<string | null>(null);
  const { register, handleSubmit, setError, reset, formState } = useForm<CreateTokenInput>({
    resolver: zodResolver(createTokenSchema),
    defaultValues: { name: "" },
  });
  return (
    <>
      <form
        className="stack"
        aria-label="New API token"
        onSubmit={handleSubmit(async (values) => {
          const r = await createTokenAction(values);
          if (r.ok) {
            setToken(r.data.token);
            reset();
          } else setError("name", { message: r.error.message });
        })}
      >
        <label>
          Name <input {...register("name")} placeholder="e.g. Membership system" aria-invalid={!!formState.errors.name} />
          {formState.errors.name && <span className="field-error">{formState.errors.name.message}</span>}
        </label>
        <ActionButton type="submit" disabled={formState.isSubmitting}>
          Create token
        </ActionButton>
      </form>
      {token && (
        <div className="token-once" role="status">
          <p>
            <strong>Copy this token now: it will not be shown again.</strong>
          </p>
          <code data-testid="new-token">{token}</code>{" "}
          <button type="button" onClick={() => navigator.clipboard?.writeText(token)}>
            Copy
          </button>
        </div>
      )}
    </>
  );
}

export function RevokeToken({ id, name }: { id: string; name: string }) {
  const [confirming, setConfirming] = useState(false);
  const [error, setErrorText] = useState<string | null>(null);
  if (!confirming) {
    return (
      <>
        Active{" "}
        <ActionButton onClick={() => setConfirming(true)} aria-label={`Revoke the token of ${name}`}>
          Revoke
        </ActionButton>
      </>
    );
  }
  return (
    <span role="group" aria-label={`Confirm revoking ${name}`}>
      {name} will stop working at once.{" "}
      <button
        type="button"
        onClick={async () => {
          const r = await revokeTokenAction(id);
          if (!r.ok) setErrorText(r.error.message);
        }}
      >
        Yes, revoke
      </button>{" "}
      <button type="button" onClick={() => setConfirming(false)}>
        Cancel
      </button>
      {error && <span className="field-error">{error}</span>}
    </span>
  );
}
