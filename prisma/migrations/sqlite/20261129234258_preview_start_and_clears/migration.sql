-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_import_job" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "seq" INTEGER,
    "status" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "conflict_strategy" TEXT NOT NULL,
    "dry_run" BOOLEAN NOT NULL DEFAULT false,
    "reverts" TEXT,
    "reverted_by" TEXT,
    "api_user_id" TEXT,
    "staff_user_id" TEXT,
    "csv_url" TEXT,
    "file_name" TEXT,
    "columns" TEXT,
    "mapping" TEXT,
    "idempotency_key" TEXT,
    "request_hash" TEXT,
    "staged" BOOLEAN NOT NULL DEFAULT false,
    "staged_chars" INTEGER NOT NULL DEFAULT 0,
    "stage_locked_by" TEXT,
    "stage_locked_until" BIGINT,
    "total" INTEGER,
    "processed" INTEGER NOT NULL DEFAULT 0,
    "created" INTEGER NOT NULL DEFAULT 0,
    "updated" INTEGER NOT NULL DEFAULT 0,
    "unchanged" INTEGER NOT NULL DEFAULT 0,
    "rejected" INTEGER NOT NULL DEFAULT 0,
    "conflicts_ignored" INTEGER NOT NULL DEFAULT 0,
    "field_changes" TEXT NOT NULL DEFAULT '{}',
    "field_clears" TEXT NOT NULL DEFAULT '{}',
    "started_from" TEXT,
    "deleted" INTEGER NOT NULL DEFAULT 0,
    "restored" INTEGER NOT NULL DEFAULT 0,
    "skipped" INTEGER NOT NULL DEFAULT 0,
    "error_count" INTEGER NOT NULL DEFAULT 0,
    "failure_code" TEXT,
    "failure_message" TEXT,
    "locked_by" TEXT,
    "locked_until" BIGINT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" DATETIME,
    "finished_at" DATETIME,
    "details_purged_at" DATETIME,
    CONSTRAINT "import_job_api_user_id_fkey" FOREIGN KEY ("api_user_id") REFERENCES "api_user" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_import_job" ("api_user_id", "attempts", "columns", "conflict_strategy", "conflicts_ignored", "created", "created_at", "csv_url", "deleted", "details_purged_at", "dry_run", "error_count", "failure_code", "failure_message", "field_changes", "file_name", "finished_at", "id", "idempotency_key", "locked_by", "locked_until", "mapping", "processed", "rejected", "request_hash", "restored", "reverted_by", "reverts", "seq", "skipped", "source", "staff_user_id", "stage_locked_by", "stage_locked_until", "staged", "staged_chars", "started_at", "status", "total", "unchanged", "updated") SELECT "api_user_id", "attempts", "columns", "conflict_strategy", "conflicts_ignored", "created", "created_at", "csv_url", "deleted", "details_purged_at", "dry_run", "error_count", "failure_code", "failure_message", "field_changes", "file_name", "finished_at", "id", "idempotency_key", "locked_by", "locked_until", "mapping", "processed", "rejected", "request_hash", "restored", "reverted_by", "reverts", "seq", "skipped", "source", "staff_user_id", "stage_locked_by", "stage_locked_until", "staged", "staged_chars", "started_at", "status", "total", "unchanged", "updated" FROM "import_job";
DROP TABLE "import_job";
ALTER TABLE "new_import_job" RENAME TO "import_job";
CREATE UNIQUE INDEX "import_job_seq_key" ON "import_job"("seq");
CREATE UNIQUE INDEX "import_job_reverted_by_key" ON "import_job"("reverted_by");
CREATE UNIQUE INDEX "import_job_started_from_key" ON "import_job"("started_from");
CREATE INDEX "import_job_status_seq_idx" ON "import_job"("status", "seq");
CREATE INDEX "import_job_created_at_idx" ON "import_job"("created_at");
CREATE INDEX "import_job_finished_at_idx" ON "import_job"("finished_at");
CREATE UNIQUE INDEX "import_job_api_user_id_idempotency_key_key" ON "import_job"("api_user_id", "idempotency_key");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
