-- AlterTable
ALTER TABLE "import_chunk" ADD COLUMN     "row_count" INTEGER NOT NULL DEFAULT 0,
ALTER COLUMN "start" SET DEFAULT 0;

-- AlterTable
ALTER TABLE "import_job" DROP COLUMN "chunks_done",
ADD COLUMN     "stage_locked_by" TEXT,
ADD COLUMN     "stage_locked_until" BIGINT;

-- row counts of chunks staged before this migration (JSON arrays of rows)
UPDATE "import_chunk" SET "row_count" = json_array_length("rows"::json);
