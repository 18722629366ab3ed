-- AlterTable
ALTER TABLE "import_job" ADD COLUMN     "deleted" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "dry_run" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "field_changes" TEXT NOT NULL DEFAULT '{}',
ADD COLUMN     "restored" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "reverted_by" TEXT,
ADD COLUMN     "reverts" TEXT,
ADD COLUMN     "skipped" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "target" ADD COLUMN     "last_job_seq" INTEGER;

-- CreateTable
CREATE TABLE "import_change" (
    "job_id" TEXT NOT NULL,
    "external_id" TEXT NOT NULL,
    "ordinal" INTEGER NOT NULL,
    "before" TEXT,

    CONSTRAINT "import_change_pkey" PRIMARY KEY ("job_id","external_id")
);

-- CreateTable
CREATE TABLE "dry_run_target" (
    "job_id" TEXT NOT NULL,
    "external_id" TEXT NOT NULL,
    "email" TEXT,
    "phone_number" TEXT,
    "state" TEXT NOT NULL,

    CONSTRAINT "dry_run_target_pkey" PRIMARY KEY ("job_id","external_id")
);

-- CreateIndex
CREATE INDEX "import_change_job_id_ordinal_idx" ON "import_change"("job_id", "ordinal");

-- CreateIndex
CREATE INDEX "import_change_external_id_idx" ON "import_change"("external_id");

-- CreateIndex
CREATE INDEX "dry_run_target_job_id_email_idx" ON "dry_run_target"("job_id", "email");

-- CreateIndex
CREATE INDEX "dry_run_target_job_id_phone_number_idx" ON "dry_run_target"("job_id", "phone_number");

-- CreateIndex
CREATE INDEX "import_error_external_id_idx" ON "import_error"("external_id");

-- CreateIndex
CREATE UNIQUE INDEX "import_job_reverted_by_key" ON "import_job"("reverted_by");

-- AddForeignKey
ALTER TABLE "import_change" ADD CONSTRAINT "import_change_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "import_job"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dry_run_target" ADD CONSTRAINT "dry_run_target_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "import_job"("id") ON DELETE CASCADE ON UPDATE CASCADE;
