"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useForm } from "react-hook-form";
import { createCustomFieldAction } from "@/lib/actions/custom-fields";
import { createCustomFieldSchema, type CreateCustomFieldInput, type CustomField } from "@/lib/custom-fields/custom-field-schema";
import { CustomFieldInputs } from "@/components/fields/custom-field-inputs";

/** Creates a custom field for a column without leaving the mapping (react-hook-form + zod). */
export function NewFieldForm({ suggested, onCreated, onCancel }: { suggested: string; onCreated: (f: CustomField) => void; onCancel: () => void }) {
  const slug = suggested.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^[^a-z]+/, "").slice(0, 63) || "field";
  const form = useForm<CreateCustomFieldInput>({
    resolver: zodResolver(createCustomFieldSchema),
    defaultValues: { label: suggested, slug, kind: "text" },
  });
  const { handleSubmit, setError, formState } = form;
  return (
    <div className="new-field" role="group" aria-label={`New custom field for ${suggested}`}>
      <CustomFieldInputs form={form} />
      <button
        type="button"
        onClick={handleSubmit(async (values) => {
          const r = await createCustomFieldAction(values);
          if (r.ok) onCreated(r.data);
          else setError(r.error.code === "already_exists" ? "slug" : "root", { message: r.error.message });
        })}
      >
        Create field
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
      {formState.errors.root && <span className="field-error">{formState.errors.root.message}</span>}
    </div>
  );
}
