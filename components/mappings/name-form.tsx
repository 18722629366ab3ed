"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { mappingNameFormSchema, MAX_MAPPING_NAME } from "@/lib/saved-mappings/saved-mapping-schema";

type NameFields = z.input<typeof mappingNameFormSchema>;

/** The name form of "Save as…" and "Rename…" (react-hook-form + the server's own zod schema). */
export function NameForm(props: {
  label: string;
  submit: string;
  initial: string;
  onSubmit: (name: string) => Promise<string | null>;
  onCancel: () => void;
}) {
  const { register, handleSubmit, setError, formState } = useForm<NameFields, unknown, z.output<typeof mappingNameFormSchema>>({
    resolver: zodResolver(mappingNameFormSchema),
    defaultValues: { name: props.initial },
  });
  const error = formState.errors.name?.message;
  return (
    <form
      className="inline-form"
      aria-label={props.label}
      onSubmit={handleSubmit(async ({ name }) => {
        const problem = await props.onSubmit(name);
        if (problem) setError("name", { message: problem });
      })}
    >
      <label>
        Name{" "}
        <input
          {...register("name")}
          autoFocus
          maxLength={MAX_MAPPING_NAME + 20}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "mapping-name-error" : undefined}
        />
      </label>
      <button type="submit" disabled={formState.isSubmitting}>
        {props.submit}
      </button>
      <button type="button" onClick={props.onCancel}>
        Cancel
      </button>
      {error && (
        <span id="mapping-name-error" className="field-error" role="alert">
          {error}
        </span>
      )}
    </form>
  );
}
