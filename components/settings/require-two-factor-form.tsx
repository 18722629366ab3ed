"use client";

import { useState } from "react";
import { useForm } from "react-hook-form";
import { ActionButton } from "@/components/action-button";
import { FormFailure } from "@/components/form-field";
import { requireTwoFactorAction } from "@/lib/actions/settings";
import type { RequireTwoFactorInput } from "@/lib/auth/account-schema";

export function RequireTwoFactorForm({ value }: { value: boolean }) {
  const [saved, setSaved] = useState<string | null>(null);
  const { register, handleSubmit, setError, formState } = useForm<RequireTwoFactorInput>({ defaultValues: { requireTwoFactor: value } });
  return (
    <form
      className="stack"
      aria-labelledby="two-factor-setting-heading"
      onSubmit={handleSubmit(async (values) => {
        setSaved(null);
        const r = await requireTwoFactorAction(values);
        if (!r.ok) return setError("root", { message: r.error.message });
        setSaved(values.requireTwoFactor ? "Saved: every staff account now needs two-factor sign-in." : "Saved: two-factor sign-in is up to each staff user.");
      })}
    >
      <div className="checkbox-field">
        <input id="require-two-factor" type="checkbox" aria-describedby="require-two-factor-hint" {...register("requireTwoFactor")} />
        <label htmlFor="require-two-factor">Require two-factor sign-in for every staff account</label>
      </div>
      <p id="require-two-factor-hint" className="hint">
        Anyone without it is sent to set it up at their next page, and reaches no other page until they have. Admins too.
      </p>
      <FormFailure message={formState.errors.root?.message} />
      <ActionButton type="submit" className="primary" disabled={formState.isSubmitting} aria-busy={formState.isSubmitting || undefined}>
        Save
      </ActionButton>
      <p role="status">{saved ?? ""}</p>
    </form>
  );
}
