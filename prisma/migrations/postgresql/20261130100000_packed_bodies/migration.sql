-- AlterTable
ALTER TABLE "import_chunk" ADD COLUMN "packed" BYTEA;

-- Deflated already: not compressed again.
ALTER TABLE "import_chunk" ALTER COLUMN "packed" SET STORAGE EXTERNAL;
