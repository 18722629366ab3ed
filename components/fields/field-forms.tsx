"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { createFieldAction, renameFieldAction } from "@/lib/actions/custom-fields";
import { createCustomFieldSchema, type CreateCustomFieldInput, type CustomField } from "@/lib/custom-fields/custom-field-schema";
import type { ActionResult } from "@/lib/http/action-result";
import { CustomFieldInputs } from "./custom-field-inputs";
import { ActionButton } from "@/components/action-button";

/** Puts a failed action's details next to the fields they name. */
function showErrors<T extends Record<string, unknown>>(
  r: ActionResult<unknown>,
  setError: (name: keyof T | "root", e: { message: string }) => void,
  fallback: keyof T,
) {
  if (r.ok) return;
  if (r.error.code === "already_exists") return setError(fallback, { message: r.error.message });
  if (r.error.details.length === 0) return setError("root", { message: r.error.message });
  for (const d of r.error.details) setError((d.path || "root") as keyof T, { message: d.message });
}

export function CreateFieldForm() {
  const form = useForm<CreateCustomFieldInput>({
    resolver: zodResolver(createCustomFieldSchema),
    defaultValues: { slug: "", label: "", kind: "text" },
  });
  const { handleSubmit, setError, reset, formState } = form;
  const [created, setCreated] = useState<string | null>(null);
  return (
    <form
      className="stack"
      aria-label="New custom field"
      onSubmit={handleSubmit(async (values) => {
        const r = await createFieldAction(values);
        if (r.ok) {
          setCreated(r.data.slug);
          reset();
        } else showErrors<CreateCustomFieldInput>(r, setError, "slug");
      })}
    >
      <CustomFieldInputs form={form} />
      <ActionButton type="submit" disabled={formState.isSubmitting}>
        Create field
      </ActionButton>
      {formState.errors.root && <span className="field-error">{formState.errors.root.message}</span>}
      {created && <p role="status">Created {created}.</p>}
    </form>
  );
}

/** Renames a label after a confirmation that the slug stays the same. */
export function RenameField({ field }: { field: CustomField }) {
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const schema = createCustomFieldSchema.pick({ label: true });
  const { register, handleSubmit, setError, formState, getValues } = useForm<{ label: string }>({
    resolver: zodResolver(schema),
    defaultValues: { label: field.label },
  });
  if (!editing) {
    return (
      <>
        {field.label}{" "}
        <ActionButton className="link" onClick={() => setEditing(true)} aria-label={`Rename ${field.label}`}>
          Rename
        </ActionButton>
      </>
    );
  }
  return (
    <form
      aria-label={`Rename ${field.label}`}
      onSubmit={handleSubmit(async () => {
        if (!confirming) return setConfirming(true);
        const r = await renameFieldAction({ slug: field.slug, label: getValues("label") });
        if (r.ok) {
          setEditing(false);
          setConfirming(false);
        } else setError("label", { message: r.error.message });
      })}
    >
      <label>
        New label <input {...register("label")} autoFocus />
      </label>
      {formState.errors.label && <span className="field-error">{formState.errors.label.message}</span>}
      {confirming && (
        <p role="status">
          Only the label changes: the slug <code>{field.slug}</code> stays, so API clients and files keep working.
        </p>
      )}
      <button type="submit">{confirming ? "Yes, rename" : "Save label"}</button>
      <button type="button" onClick={() => (setEditing(false), setConfirming(false))}>
        Cancel
      </button>
    </form>
  );
}
