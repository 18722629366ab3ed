-- Retires the oldest staged format: a chunk holding a JSON array of record
-- objects becomes a request body holding them (lib/jobs/staged-rows.ts), the
-- same rows at the same positions, left undeflated (text is read as it is).
UPDATE "import_chunk" SET "rows" = '{"records":' || "rows" || '}'
 WHERE "packed" IS NULL AND substr("rows", 1, 2) = '[{';
