// A target as the API answers it (GET /api/targets/<external_id>, each item
// of GET /api/targets): flat JSON, built from the field table. No server code:
// the OpenAPI document is built from it.
import { z } from "zod";
import { ATTRIBUTE_FIELDS } from "../fields";

const attributeValue = (kind: (typeof ATTRIBUTE_FIELDS)[number]["kind"]) => (kind === "flag" ? z.boolean() : z.string()).nullable();

export const targetJsonSchema = z
  .object({
    external_id: z.string(),
    ...Object.fromEntries(ATTRIBUTE_FIELDS.map((f) => [f.key, attributeValue(f.kind)])),
    created_at: z.string().describe("When the service first stored it (ISO 8601, UTC)"),
    updated_at: z.string().describe("When an import or undo last wrote it (ISO 8601, UTC)"),
  })
  // every custom field by its slug: text or a date "YYYY-MM-DD" as a string, a float as a number, null for no value
  .catchall(z.union([z.string(), z.number(), z.null()]));

export const targetListSchema = z.object({
  targets: z.array(targetJsonSchema).describe("In external_id order"),
  next: z.string().nullable().describe("The path of the next page, or null on the last"),
});
