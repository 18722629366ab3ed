// The OpenAPI 3.1 document, built from the same zod schemas that validate
// requests and shape responses (OpenAPI 3.1 schemas are JSON Schema).
import "server-only";
import { z } from "zod";
import { createCustomFieldSchema, customFieldSchema } from "./custom-fields/custom-field-schema";
import { ERRORS, HTTP_ERROR_CODES } from "./errors";
import { deferredResultSchema, errorsPageSchema, importResultSchema, revertEntrySchema, revertResultSchema } from "./imports/deferred-result";
import { deferredResultListQuerySchema, deferredResultListSchema } from "./imports/list-deferred-results";
import { bulkUpsertBodySchema } from "./records/bulk-upsert-request";
import { apiTargetListSchema } from "./targets/member-query";
import { targetJsonSchema, targetListSchema } from "./targets/target-json-schema";
import { testWebhookPayloadSchema, webhookPayloadSchema } from "./webhooks/webhook-payload-schema";
import { webhookPaths, webhookSchemas, webhookEvents } from "./webhooks/webhook-openapi";

const json = (schema: z.ZodType) => z.toJSONSchema(schema, { target: "draft-2020-12", io: "input", unrepresentable: "any" });

const errorSchema = z.object({
  error: z.object({
    code: z.enum(HTTP_ERROR_CODES),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })),
  }),
});

/** Each HTTP status a route can answer with an error, described by every code that carries it. */
function errorResponses(...statuses: number[]) {
  return errorsOf(...HTTP_ERROR_CODES.filter((c) => statuses.some((s) => ERRORS[c].status === s)));
}

/** Each HTTP status a route can answer with an error, described by exactly the codes it can give. */
function errorsOf(...codes: (typeof HTTP_ERROR_CODES)[number][]) {
  const statuses = [...new Set(codes.map((c) => ERRORS[c].status))];
  return Object.fromEntries(
    statuses.map((status) => {
      const description = codes
        .filter((c) => ERRORS[c].status === status)
        .map((c) => `\`${c}\`: ${ERRORS[c].description}`)
        .join("; ");
      return [status, { description, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } }];
    }),
  );
}

const accepted = {
  description: "Accepted; poll the deferred result",
  content: {
    "application/json": {
      schema: { type: "object", properties: { deferred_result_id: { type: "string" } }, required: ["deferred_result_id"] },
    },
  },
};

const ok = (description: string, ref: string) => ({
  description,
  content: { "application/json": { schema: { $ref: `#/components/schemas/${ref}` } } },
});

const idParameter = { name: "id", in: "path", required: true, schema: { type: "string" } };

/** The JSON Schemas the paths refer to, each converted from its zod schema. */
function schemas() {
  return {
    BulkUpsertRequest: json(bulkUpsertBodySchema),
    DeferredResult: json(deferredResultSchema),
    ImportResult: json(importResultSchema),
    RevertResult: json(revertResultSchema),
    RevertEntry: json(revertEntrySchema),
    ErrorsPage: json(errorsPageSchema),
    DeferredResultList: json(deferredResultListSchema),
    CustomField: json(customFieldSchema),
    CreateCustomField: json(createCustomFieldSchema),
    Target: json(targetJsonSchema),
    TargetList: json(targetListSchema),
    Error: json(errorSchema),
    ...webhookSchemas(json),
    WebhookPayload: json(webhookPayloadSchema),
    TestWebhookPayload: json(testWebhookPayloadSchema),
  };
}

const bulkUpsertPath = {
  post: {
    parameters: [{ name: "Idempotency-Key", in: "header", required: false, schema: { type: "string", maxLength: 255 } }],
    requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/BulkUpsertRequest" } } } },
    responses: {
      200: accepted,
      ...errorResponses(400, 401, 409, 413, 415),
    },
  },
};

/** A POST that takes no options. */
const noOptionsBody = {
  required: false,
  description: "No body, or {}",
  content: { "application/json": { schema: { type: "object", additionalProperties: false, maxProperties: 0 } } },
};

const cancelPath = {
  post: {
    summary: "Cancel a job",
    description:
      "Cancels a job of the calling API user that is still waiting or merging. One that was waiting never runs; one that had begun merging stops at " +
      "its next batch and has what it merged undone before it reports `cancelled`, so the jobs accepted after it see the state as if it had never " +
      "been sent. The answer waits (up to 60 s) until the job has ended: 200 with the deferred result, `status` `cancelled`, `result` and `error` " +
      "null, `progress` how far it had got. Cancelling a cancelled job answers 200 again. A ready or failed job, or an undo: 409 `not_cancellable`; " +
      "when the cancel races the job's end, 200 only if the job ends cancelled.",
    parameters: [idParameter],
    requestBody: noOptionsBody,
    responses: {
      200: ok("The job's deferred result, cancelled", "DeferredResult"),
      ...errorsOf("invalid_payload", "unauthorized", "not_found", "not_cancellable", "payload_too_large", "unsupported_media_type"),
    },
  },
};

const revertPath = {
  post: {
    summary: "Undo a job",
    description:
      "Accepts the undo of a ready, real (not dry-run) job that is not itself an undo, as a job of its own in the acceptance order. " +
      "Asking again answers the same undo. When it runs, the targets the job created or updated are taken in the reverse of the order it first wrote them: " +
      "each is skipped with `changed_since` (a later real job or undo wrote it, or it was erased), skipped with `conflict` (restoring would give it an " +
      "email or phone number another target holds), or else deleted (the job created it) or given back every value it had just before the job. " +
      "Its deferred result has `source` `revert`, `reverts`, and a RevertResult; the undone job's has `reverted_by`.",
    parameters: [idParameter],
    requestBody: noOptionsBody,
    responses: {
      200: { ...accepted, description: "The undo's deferred result id (the same one when asked again)" },
      ...errorsOf("invalid_payload", "unauthorized", "not_found", "not_revertible", "payload_too_large", "unsupported_media_type"),
    },
  },
};

const customFieldsPath = {
  get: {
    responses: {
      200: {
        description: "Every custom field",
        content: { "application/json": { schema: { type: "object", properties: { custom_fields: { type: "array", items: { $ref: "#/components/schemas/CustomField" } } } } } },
      },
      ...errorResponses(401),
    },
  },
  post: {
    requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/CreateCustomField" } } } },
    responses: { 201: ok("Created", "CustomField"), ...errorResponses(400, 401, 409, 415) },
  },
};

/** A GET's query parameters, each from the API's schema of them. */
const queryParameters = (schema: z.ZodObject) =>
  Object.entries(schema.shape).map(([name, param]) => {
    const parameter = json(param as z.ZodType);
    delete parameter.$schema; // a parameter's schema is part of the document, not one of its own
    return { name, in: "query", required: false, schema: parameter };
  });

const deferredResultsPath = {
  get: {
    summary: "List your jobs",
    description:
      "The calling API user's jobs, the last accepted first, each as GET /api/deferred_results/{id} answers it without `result.errors` and " +
      "`result.errors_next`. `next` pages with a keyset cursor: the jobs that existed when the first page was read neither repeat nor go missing " +
      "while new ones arrive (those appear at the top of a new listing). Any other parameter or value, or one given twice, is refused.",
    parameters: queryParameters(deferredResultListQuerySchema),
    responses: { 200: ok("A page of your jobs", "DeferredResultList"), ...errorsOf("invalid_payload", "unauthorized") },
  },
};

const targetsPath = {
  get: {
    summary: "Search targets, or export them as CSV",
    description:
      "`q` matches a target when it is a prefix of its external_id, first name, last name or email (case and accents aside), or a phone number equal to its own. " +
      "JSON: a page in external_id order, with the path of the next (keyset). `format=csv`: every matching target as one CSV file, streamed " +
      "(UTF-8 with a BOM, comma-separated, CRLF; a header row of the upsert's column names, then every custom field by slug; an empty cell for no value; " +
      "values a spreadsheet would run as a formula start with an apostrophe, phone numbers in E.164 do not). Imported back as a `csv_url`, that file changes nothing. " +
      "`cursor` and `limit` page the JSON list only: with `format=csv` they are refused.",
    parameters: queryParameters(apiTargetListSchema),
    responses: {
      200: {
        description: "A page of targets (JSON), or every matching target (format=csv, sent as an attachment)",
        content: {
          "application/json": { schema: { $ref: "#/components/schemas/TargetList" } },
          "text/csv": { schema: { type: "string", contentMediaType: "text/csv" } },
        },
      },
      ...errorsOf("invalid_payload", "unauthorized"),
    },
  },
};

const targetPath = {
  get: {
    parameters: [{ name: "external_id", in: "path", required: true, schema: { type: "string" } }],
    responses: { 200: ok("The target as flat JSON", "Target"), ...errorResponses(401, 404) },
  },
  delete: {
    summary: "Erase a target",
    description:
      "Deletes the target at once and removes its personal data from every copy the service keeps: staged rows and problems of finished jobs, " +
      "and the data kept for undoing jobs (an undo then skips it with `changed_since`). A job accepted earlier that still holds the same " +
      "external_id creates it anew in its turn.",
    parameters: [{ name: "external_id", in: "path", required: true, schema: { type: "string" } }],
    responses: { 204: { description: "Erased" }, ...errorsOf("unauthorized", "not_found") },
  },
};

export function openApiDocument() {
  return {
    openapi: "3.1.0",
    info: { title: "Target import API", version: "1.0.0", description: "Movement-compatible bulk upsert of targets." },
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } }, schemas: schemas() },
    security: [{ bearer: [] }],
    paths: {
      "/api/health": { get: { security: [], responses: { 200: { description: "The service is up" } } } },
      "/api/targets/bulk_upsert": bulkUpsertPath,
      "/api/deferred_results": deferredResultsPath,
      "/api/deferred_results/{id}": {
        get: {
          parameters: [idParameter],
          responses: { 200: ok("The job's status and, when ready, its result", "DeferredResult"), ...errorResponses(401, 404) },
        },
      },
      "/api/deferred_results/{id}/revert": revertPath,
      "/api/deferred_results/{id}/cancel": cancelPath,
      "/api/deferred_results/{id}/errors": {
        get: {
          parameters: [idParameter, { name: "cursor", in: "query", required: false, schema: { type: "string" } }],
          responses: { 200: ok("A page of the job's problems", "ErrorsPage"), ...errorResponses(400, 401, 404) },
        },
      },
      "/api/custom_fields": customFieldsPath,
      "/api/targets": targetsPath,
      "/api/targets/{external_id}": targetPath,
      ...webhookPaths({ ok, errorsOf, idParameter }),
    },
    webhooks: webhookEvents(),
  };
}
