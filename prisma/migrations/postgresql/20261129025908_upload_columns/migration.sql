-- AlterTable
ALTER TABLE "import_job" ADD COLUMN     "columns" TEXT,
ADD COLUMN     "mapping" TEXT;
