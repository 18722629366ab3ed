-- AlterTable
ALTER TABLE "import_job" ADD COLUMN "cancel_requested_at" DATETIME;

-- CreateTable
CREATE TABLE "webhook_endpoint" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "api_user_id" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "events" TEXT NOT NULL,
    "secret" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "failing_since" DATETIME,
    "disabled_at" DATETIME,
    CONSTRAINT "webhook_endpoint_api_user_id_fkey" FOREIGN KEY ("api_user_id") REFERENCES "api_user" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "webhook_delivery" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "endpoint_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "job_id" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_status_code" INTEGER,
    "next_attempt_at" BIGINT,
    "locked_by" TEXT,
    "locked_until" BIGINT,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "webhook_delivery_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "webhook_endpoint" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "webhook_endpoint_api_user_id_idx" ON "webhook_endpoint"("api_user_id");

-- CreateIndex
CREATE INDEX "webhook_delivery_status_next_attempt_at_idx" ON "webhook_delivery"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "webhook_delivery_endpoint_id_created_at_idx" ON "webhook_delivery"("endpoint_id", "created_at");

-- CreateIndex
CREATE INDEX "webhook_delivery_job_id_idx" ON "webhook_delivery"("job_id");

-- CreateIndex
CREATE INDEX "import_job_api_user_id_seq_idx" ON "import_job"("api_user_id", "seq");

-- CreateIndex
CREATE INDEX "import_job_api_user_id_status_seq_idx" ON "import_job"("api_user_id", "status", "seq");

-- CreateIndex
CREATE INDEX "import_job_api_user_id_source_seq_idx" ON "import_job"("api_user_id", "source", "seq");
