-- AlterTable
ALTER TABLE "import_chunk" ADD COLUMN "packed" BLOB;
