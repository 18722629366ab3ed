-- Hand-edited (decision 025): the columns of the members list compare in "C"
-- (code point) order, as BINARY does in SQLite, so a prefix is an index range
-- and both databases page and sort alike. The folded id and email are
-- indexed only where they differ from the stored value.
ALTER TABLE "target" ALTER COLUMN "external_id" TYPE TEXT COLLATE "C",
ALTER COLUMN "email" TYPE TEXT COLLATE "C",
ALTER COLUMN "phone_number" TYPE TEXT COLLATE "C";

-- AlterTable
ALTER TABLE "target" ADD COLUMN     "flag_code" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "search_email" TEXT COLLATE "C",
ADD COLUMN     "search_first" TEXT COLLATE "C" NOT NULL DEFAULT '',
ADD COLUMN     "search_id" TEXT COLLATE "C",
ADD COLUMN     "search_last" TEXT COLLATE "C" NOT NULL DEFAULT '';

-- Targets stored before this migration: their search columns are filled by
-- the first start after it (lib/targets/search-backfill.ts), which finds them
-- by this mark.
UPDATE "target" SET "flag_code" = -1;

-- CreateTable
CREATE TABLE "target_change" (
    "job_seq" INTEGER NOT NULL,
    "external_id" TEXT COLLATE "C" NOT NULL,
    "batch" INTEGER NOT NULL,

    CONSTRAINT "target_change_pkey" PRIMARY KEY ("job_seq","external_id")
);


-- CreateIndex
CREATE INDEX "target_search_last_idx" ON "target"("search_last");

-- CreateIndex
CREATE INDEX "target_search_first_idx" ON "target"("search_first");

-- CreateIndex
CREATE INDEX "target_search_id_idx" ON "target"("search_id") WHERE "search_id" IS NOT NULL;

-- CreateIndex
CREATE INDEX "target_search_email_idx" ON "target"("search_email") WHERE "search_email" IS NOT NULL;

-- CreateIndex
CREATE INDEX "target_updated_at_idx" ON "target"("updated_at");

-- CreateIndex
CREATE INDEX "target_flag_code_idx" ON "target"("flag_code");
