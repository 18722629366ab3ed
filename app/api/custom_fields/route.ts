import { createCustomField, listCustomFields } from "@/lib/custom-fields/custom-fields";
import { env } from "@/lib/env";
import { withApiUser } from "@/lib/http/api-route";
import { readJsonBody } from "@/lib/http/read-json-body";

export const GET = withApiUser(async ({ db }) => Response.json({ custom_fields: await listCustomFields(db) }));

export const POST = withApiUser(async ({ req, db }) => {
  const { value } = await readJsonBody(req, env().MAX_BODY_BYTES);
  return Response.json(await createCustomField(db, value), { status: 201 });
});
