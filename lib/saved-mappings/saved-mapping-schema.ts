// Saved mappings: a wizard mapping (each column → a field, and each column's
// format) kept under a name and shared by all staff. These schemas are used
// by the server (lib/saved-mappings/*) and by the wizard's forms alike.
import { z } from "zod";
import { setOwn } from "../set-own";
import { storableString } from "../storable-text";

/** The most saved mappings kept (more: limit_reached); the longest name. */
export const MAX_SAVED_MAPPINGS = 200;
export const MAX_MAPPING_NAME = 80;
/** Bounds on the formats, which this module does not interpret (the wizard does). */
export const MAX_FORMAT_CHARS = 2_000;
export const MAX_FORMATS_CHARS = 64_000;

/** A name as kept: NFC, inner runs of spaces made one, trimmed. */
export const mappingNameSchema = storableString()
  .transform((s) => s.normalize("NFC").replace(/\s+/g, " ").trim())
  .pipe(z.string().min(1, "Give the mapping a name").max(MAX_MAPPING_NAME, `At most ${MAX_MAPPING_NAME} characters`));

/** Two names that differ only in case or spaces are the same name. */
export const mappingNameKey = (name: string) => name.normalize("NFC").replace(/\s+/g, " ").trim().toLowerCase();

export const mappingColumnSchema = z
  .object({
    column: storableString().max(1000),
    // "skip", a built-in key or a custom field's slug (checked against the catalogue on save)
    field: z.string().min(1).max(100),
  })
  .strict();

/**
 * header → that column's format. Opaque here: any JSON value, bounded in
 * size, stored as its JSON text and given back as parsed from it.
 */
export const columnFormatsSchema = z.record(storableString().max(1000), z.unknown()).transform((formats, ctx) => {
  const out: Record<string, unknown> = {};
  let total = 2;
  for (const [column, value] of Object.entries(formats)) {
    let text: string | undefined;
    try {
      text = JSON.stringify(value);
    } catch {
      text = undefined; // cycles, BigInt, nesting too deep
    }
    if (text === undefined) {
      ctx.addIssue({ code: "custom", path: [column], message: "must be a JSON value" });
      continue;
    }
    if (text.length > MAX_FORMAT_CHARS) {
      ctx.addIssue({ code: "custom", path: [column], message: `at most ${MAX_FORMAT_CHARS} characters of JSON` });
      continue;
    }
    total += JSON.stringify(column).length + text.length + 2;
    setOwn(out, column, JSON.parse(text));
  }
  if (total > MAX_FORMATS_CHARS) ctx.addIssue({ code: "custom", path: [], message: `at most ${MAX_FORMATS_CHARS} characters of JSON in all` });
  return out;
});

export const mappingColumnsSchema = z.array(mappingColumnSchema).min(1, "The mapping has no columns").max(500);

const formatsOfKnownColumns = (v: { columns: { column: string }[]; formats: Record<string, unknown> }, ctx: z.RefinementCtx) => {
  const headers = new Set(v.columns.map((c) => c.column));
  for (const k of Object.keys(v.formats)) {
    if (!headers.has(k)) ctx.addIssue({ code: "custom", path: ["formats", k], message: "is not a column of this mapping" });
  }
};

export const saveMappingSchema = z
  .object({ name: mappingNameSchema, columns: mappingColumnsSchema, formats: columnFormatsSchema.default({}) })
  .strict()
  .superRefine(formatsOfKnownColumns);

export const renameSavedMappingSchema = z.object({ id: z.uuid(), name: mappingNameSchema }).strict();
export const deleteSavedMappingSchema = z.object({ id: z.uuid() }).strict();

/** The name form of the wizard ("Save as…", "Rename…"). */
export const mappingNameFormSchema = z.object({ name: mappingNameSchema });

export const savedMappingSchema = z.object({
  id: z.string(),
  name: z.string(),
  columns: z.array(z.object({ column: z.string(), field: z.string() })),
  formats: z.record(z.string(), z.unknown()),
  createdBy: z.string().nullable(),
  updatedAt: z.string(),
  /** Whether the user asking may rename or delete it (its author, or an admin). */
  canChange: z.boolean(),
});

export type SaveMappingInput = z.infer<typeof saveMappingSchema>;
export type RenameSavedMappingInput = z.infer<typeof renameSavedMappingSchema>;
export type DeleteSavedMappingInput = z.infer<typeof deleteSavedMappingSchema>;
export type SavedMapping = z.infer<typeof savedMappingSchema>;
export type MappingColumn = z.infer<typeof mappingColumnSchema>;
