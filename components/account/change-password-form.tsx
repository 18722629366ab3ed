"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { ActionButton } from "@/components/action-button";
import { FormFailure, FormField } from "@/components/form-field";
import { changePasswordAction } from "@/lib/actions/account";
import { changePasswordSchema, type ChangePasswordInput } from "@/lib/auth/account-schema";
import { showActionError } from "./show-action-error";

export function ChangePasswordForm() {
  const router = useRouter();
  const [done, setDone] = useState(false);
  const form = useForm<ChangePasswordInput>({
    resolver: zodResolver(changePasswordSchema),
    defaultValues: { currentPassword: "", newPassword: "", repeatPassword: "" },
  });
  const { register, handleSubmit, reset, formState } = form;
  const { errors } = formState;

  return (
    <form
      className="stack"
      aria-labelledby="password-heading"
      noValidate
      onSubmit={handleSubmit(async (values) => {
        setDone(false);
        const r = await changePasswordAction(values);
        if (!r.ok) return showActionError(form, r.error);
        reset();
        setDone(true);
        router.refresh();
      })}
    >
      <FormField id="current-password" label="Current password" type="password" autoComplete="current-password" error={errors.currentPassword} {...register("currentPassword")} />
      <FormField
        id="new-password"
        label="New password"
        hint="At least 8 characters. A few unrelated words make a good one."
        type="password"
        autoComplete="new-password"
        error={errors.newPassword}
        {...register("newPassword")}
      />
      <FormField id="repeat-password" label="New password again" type="password" autoComplete="new-password" error={errors.repeatPassword} {...register("repeatPassword")} />
      <FormFailure message={errors.root?.message} />
      <ActionButton type="submit" className="primary" disabled={formState.isSubmitting} aria-busy={formState.isSubmitting || undefined}>
        Change password
      </ActionButton>
      <p role="status">{done ? "Your password is changed. Your other sessions are signed out." : ""}</p>
    </form>
  );
}
