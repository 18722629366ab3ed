import type { FieldValues, Path, UseFormReturn } from "react-hook-form";
import type { ErrorDetail } from "@/lib/errors";

/** A server action's refusal shown where it belongs: beside the field it names (focused), or above the button. */
export function showActionError<T extends FieldValues>(form: UseFormReturn<T>, error: { message: string; details: ErrorDetail[] }) {
  const fields = Object.keys(form.getValues());
  const detail = error.details.find((d) => fields.includes(d.path));
  if (detail) form.setError(detail.path as Path<T>, { message: detail.message }, { shouldFocus: true });
  else form.setError("root", { message: error.message });
}
