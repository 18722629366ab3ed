// The OpenAPI document (lib/openapi.ts) is a valid OpenAPI 3.1 description,
// webhooks included, as a validator made for it reads it; clients generate
// code from it.
import { validate } from "@readme/openapi-parser";
import { describe, expect, test } from "vitest";
import { openApiDocument } from "@/lib/openapi";

describe("the OpenAPI document", () => {
  test("validates as OpenAPI 3.1, with every route and the webhook payload", async () => {
    const doc = openApiDocument();
    expect(await validate(structuredClone(doc) as never)).toMatchObject({ valid: true });
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(["/api/deferred_results", "/api/deferred_results/{id}/cancel", "/api/webhooks", "/api/webhooks/{id}", "/api/webhooks/{id}/deliveries", "/api/targets"]),
    );
    expect(Object.keys((doc as { webhooks?: object }).webhooks ?? {}).length).toBeGreaterThan(0);
  });

  test("the validator refuses a broken copy (a reference to nothing)", async () => {
    const broken = structuredClone(openApiDocument()) as { components: { schemas: Record<string, unknown> } };
    broken.components.schemas.DeferredResult = { $ref: "#/components/schemas/NoSuchSchema" };
    expect(await validate(broken as never)).toMatchObject({ valid: false });
  });
});
