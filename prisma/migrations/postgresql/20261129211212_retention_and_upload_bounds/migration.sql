-- AlterTable
ALTER TABLE "import_job" ADD COLUMN     "details_purged_at" TIMESTAMP(3),
ADD COLUMN     "staged_chars" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "import_job_finished_at_idx" ON "import_job"("finished_at");
