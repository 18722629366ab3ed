-- DropIndex
DROP INDEX "target_email_idx";

-- DropIndex
DROP INDEX "target_search_first_idx";

-- DropIndex
DROP INDEX "target_search_last_search_first_external_id_idx";

-- CreateIndex
CREATE INDEX "target_email_external_id_last_job_seq_flag_code_idx" ON "target"("email", "external_id", "last_job_seq", "flag_code");

-- CreateIndex
CREATE INDEX "target_search_last_search_first_external_id_last_job_seq_fl_idx" ON "target"("search_last", "search_first", "external_id", "last_job_seq", "flag_code");

-- CreateIndex
CREATE INDEX "target_search_first_external_id_last_job_seq_flag_code_idx" ON "target"("search_first", "external_id", "last_job_seq", "flag_code");
