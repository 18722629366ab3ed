import { withApiUser } from "@/lib/http/api-route";
import { openApiDocument } from "@/lib/openapi";

export const GET = withApiUser(async () => Response.json(openApiDocument()));
