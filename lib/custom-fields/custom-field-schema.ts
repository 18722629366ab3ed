import { z } from "zod";
import { storableString } from "../storable-text";
import { CUSTOM_FIELD_KINDS, isBuiltinKey } from "../fields";

/** The most custom fields the catalogue holds (POST /api/custom_fields beyond it: 409 limit_reached). */
export const MAX_CUSTOM_FIELDS = 200;

export const customFieldSlugSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,62}$/, "Use a lower-case letter, then lower-case letters, digits or underscores (at most 63)")
  .refine((s) => !isBuiltinKey(s), "This name is a built-in field");

export const createCustomFieldSchema = z
  .object({
    slug: customFieldSlugSchema,
    label: storableString().trim().min(1, "Give the field a label").max(100, "At most 100 characters"),
    kind: z.enum(CUSTOM_FIELD_KINDS),
  })
  .strict();

/** A new label for a field; its slug never changes (API clients and files use it). */
export const renameCustomFieldSchema = createCustomFieldSchema.pick({ slug: true, label: true });

/** The most fields members can be filtered by through an index (decision 027): each one costs every write of a member with the value. */
export const MAX_FILTERABLE_FIELDS = 10;

export const setFilterableSchema = z.object({ slug: customFieldSlugSchema, filterable: z.boolean() }).strict();

export const customFieldSchema = z.object({ slug: z.string(), label: z.string(), kind: z.enum(CUSTOM_FIELD_KINDS) });

export type CreateCustomFieldInput = z.infer<typeof createCustomFieldSchema>;
export type RenameCustomFieldInput = z.infer<typeof renameCustomFieldSchema>;
export type SetFilterableInput = z.infer<typeof setFilterableSchema>;
export type CustomField = z.infer<typeof customFieldSchema>;
