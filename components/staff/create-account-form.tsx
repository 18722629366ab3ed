"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import { createStaffAccountAction } from "@/lib/actions/staff";
import { createStaffAccountSchema, type CreateStaffAccount, type CreateStaffAccountInput } from "@/lib/staff/staff-schema";
import { ActionButton } from "@/components/action-button";
import { OneTimeLink } from "./one-time-link";

type Made = { email: string; link: string | null };

/** "New account": an email, a role, and how its owner gets a password (a one-time link, or an initial one to change). */
export function CreateAccountForm() {
  const [made, setMade] = useState<Made | null>(null);
  const { register, handleSubmit, setError, reset, control, formState } = useForm<CreateStaffAccountInput, unknown, CreateStaffAccount>({
    resolver: zodResolver(createStaffAccountSchema),
    defaultValues: { email: "", role: "staff", setPassword: "link" },
  });
  const errors = formState.errors as Partial<Record<"email" | "password" | "root", { message?: string }>>;
  const initial = useWatch({ control, name: "setPassword" }) === "initial";
  return (
    <>
      <form
        className="stack"
        aria-label="New staff account"
        onSubmit={handleSubmit(async (values) => {
          setMade(null);
          const r = await createStaffAccountAction(values);
          if (r.ok) {
            setMade({ email: r.data.email, link: r.data.link });
            reset();
          } else setError(r.error.details[0]?.path === "password" ? "password" : "email", { message: r.error.message });
        })}
      >
        <label>
          Email <input type="email" autoComplete="off" {...register("email")} aria-invalid={!!errors.email} />
          {errors.email && <span className="field-error">{errors.email.message}</span>}
        </label>
        <label>
          Role
          <select {...register("role")}>
            <option value="staff">Staff</option>
            <option value="admin">Admin</option>
          </select>
        </label>
        <fieldset>
          <legend>Their password</legend>
          <label>
            <input type="radio" value="link" {...register("setPassword")} /> A one-time link they open to choose it (24 hours)
          </label>
          <label>
            <input type="radio" value="initial" {...register("setPassword")} /> An initial password you give them; they must change it
            when they first sign in
          </label>
        </fieldset>
        {initial && (
          <label>
            Initial password{" "}
            <input type="password" autoComplete="new-password" {...register("password")} aria-invalid={!!errors.password} />
            {errors.password && <span className="field-error">{errors.password.message}</span>}
          </label>
        )}
        <ActionButton type="submit" disabled={formState.isSubmitting}>
          Create account
        </ActionButton>
      </form>
      {made &&
        (made.link ? (
          <OneTimeLink path={made.link} email={made.email} />
        ) : (
          <p role="status">
            {made.email} can sign in with the initial password now, and will be asked to choose their own.
          </p>
        ))}
    </>
  );
}
