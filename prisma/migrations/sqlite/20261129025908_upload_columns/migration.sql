-- AlterTable
ALTER TABLE "import_job" ADD COLUMN "columns" TEXT;
ALTER TABLE "import_job" ADD COLUMN "mapping" TEXT;
