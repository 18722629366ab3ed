-- DropIndex
DROP INDEX "target_search_first_idx";

-- DropIndex
DROP INDEX "target_email_idx";

-- CreateIndex
CREATE INDEX "target_email_external_id_idx" ON "target"("email", "external_id");

-- CreateIndex
CREATE INDEX "target_search_first_external_id_idx" ON "target"("search_first", "external_id");
