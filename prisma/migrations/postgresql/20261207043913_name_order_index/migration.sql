-- DropIndex
DROP INDEX "target_search_last_idx";

-- CreateIndex
CREATE INDEX "target_search_last_search_first_external_id_idx" ON "target"("search_last", "search_first", "external_id");
