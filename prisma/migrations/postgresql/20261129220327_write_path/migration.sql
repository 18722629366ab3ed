-- DropIndex
DROP INDEX "target_first_name_last_name_idx";

-- Staged rows are written once and read once: store them uncompressed
-- (pglz on ~75 MB of cells per million rows cost more CPU than it saved).
ALTER TABLE "import_chunk" ALTER COLUMN "rows" SET STORAGE EXTERNAL;
