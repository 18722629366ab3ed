"use client";

import type { UseFormReturn } from "react-hook-form";
import type { CreateCustomFieldInput } from "@/lib/custom-fields/custom-field-schema";

/** Label, slug and kind of a new custom field, each with its error beside it. */
export function CustomFieldInputs({ form }: { form: UseFormReturn<CreateCustomFieldInput> }) {
  const { register, formState } = form;
  const { errors } = formState;
  return (
    <>
      <label>
        Label <input {...register("label")} aria-invalid={!!errors.label} />
        {errors.label && <span className="field-error">{errors.label.message}</span>}
      </label>
      <label>
        Slug <input {...register("slug")} aria-invalid={!!errors.slug} placeholder="e.g. branch" />
        {errors.slug && <span className="field-error">{errors.slug.message}</span>}
      </label>
      <label>
        Kind{" "}
        <select {...register("kind")}>
          <option value="text">Text</option>
          <option value="float">Number</option>
          <option value="date">Date (YYYY-MM-DD)</option>
        </select>
      </label>
    </>
  );
}
