import { createCustomFieldSchema } from "@/lib/custom-fields/custom-field-schema";
import { createCustomField, listCustomFields } from "@/lib/custom-fields/custom-fields";
import { env } from "@/lib/env";
import { withApiUser } from "@/lib/http/api-route";
import { readJsonBody } from "@/lib/http/read-json-body";
import { parseInput } from "@/lib/invalid-payload";

export const GET = withApiUser(async ({ db }) => Response.json({ custom_fields: await listCustomFields(db) }));

export const POST = withApiUser(async ({ req, db, by }) => {
  const { value } = await readJsonBody(req, env().MAX_BODY_BYTES);
  const field = parseInput(createCustomFieldSchema, value, "The custom field is not valid");
  return Response.json(await createCustomField(db, field, by), { status: 201 });
});
