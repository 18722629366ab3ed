-- AlterTable
ALTER TABLE "import_job" ADD COLUMN     "field_clears" TEXT NOT NULL DEFAULT '{}',
ADD COLUMN     "started_from" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "import_job_started_from_key" ON "import_job"("started_from");
