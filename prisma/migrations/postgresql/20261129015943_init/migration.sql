-- CreateTable
CREATE TABLE "api_user" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "api_user_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_token" (
    "id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMP(3),
    "revoked_at" TIMESTAMP(3),

    CONSTRAINT "api_token_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "custom_field" (
    "id" SERIAL NOT NULL,
    "slug" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "custom_field_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "target" (
    "id" SERIAL NOT NULL,
    "external_id" TEXT NOT NULL,
    "first_name" TEXT,
    "last_name" TEXT,
    "email" TEXT,
    "phone_number" TEXT,
    "subscription_email" BOOLEAN,
    "subscription_sms" BOOLEAN,
    "subscription_phone" BOOLEAN,
    "subscription_whatsapp" BOOLEAN,
    "custom" TEXT NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMP(3) NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "target_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "import_job" (
    "id" TEXT NOT NULL,
    "seq" INTEGER,
    "status" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "conflict_strategy" TEXT NOT NULL,
    "api_user_id" TEXT,
    "staff_user_id" TEXT,
    "csv_url" TEXT,
    "file_name" TEXT,
    "idempotency_key" TEXT,
    "request_hash" TEXT,
    "staged" BOOLEAN NOT NULL DEFAULT false,
    "chunks_done" INTEGER NOT NULL DEFAULT 0,
    "total" INTEGER,
    "processed" INTEGER NOT NULL DEFAULT 0,
    "created" INTEGER NOT NULL DEFAULT 0,
    "updated" INTEGER NOT NULL DEFAULT 0,
    "unchanged" INTEGER NOT NULL DEFAULT 0,
    "rejected" INTEGER NOT NULL DEFAULT 0,
    "conflicts_ignored" INTEGER NOT NULL DEFAULT 0,
    "error_count" INTEGER NOT NULL DEFAULT 0,
    "failure_code" TEXT,
    "failure_message" TEXT,
    "locked_by" TEXT,
    "locked_until" BIGINT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMP(3),
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "import_job_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "import_chunk" (
    "job_id" TEXT NOT NULL,
    "no" INTEGER NOT NULL,
    "start" INTEGER NOT NULL,
    "rows" TEXT NOT NULL,

    CONSTRAINT "import_chunk_pkey" PRIMARY KEY ("job_id","no")
);

-- CreateTable
CREATE TABLE "import_error" (
    "job_id" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "external_id" TEXT,
    "code" TEXT NOT NULL,
    "field" TEXT,
    "message" TEXT NOT NULL,
    "conflicting_external_ids" TEXT,

    CONSTRAINT "import_error_pkey" PRIMARY KEY ("job_id","seq")
);

-- CreateIndex
CREATE UNIQUE INDEX "api_token_token_hash_key" ON "api_token"("token_hash");

-- CreateIndex
CREATE UNIQUE INDEX "custom_field_slug_key" ON "custom_field"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "target_external_id_key" ON "target"("external_id");

-- CreateIndex
CREATE INDEX "target_email_idx" ON "target"("email");

-- CreateIndex
CREATE INDEX "target_phone_number_idx" ON "target"("phone_number");

-- CreateIndex
CREATE INDEX "target_first_name_last_name_idx" ON "target"("first_name", "last_name");

-- CreateIndex
CREATE UNIQUE INDEX "import_job_seq_key" ON "import_job"("seq");

-- CreateIndex
CREATE INDEX "import_job_status_seq_idx" ON "import_job"("status", "seq");

-- CreateIndex
CREATE INDEX "import_job_created_at_idx" ON "import_job"("created_at");

-- CreateIndex
CREATE UNIQUE INDEX "import_job_api_user_id_idempotency_key_key" ON "import_job"("api_user_id", "idempotency_key");

-- AddForeignKey
ALTER TABLE "api_token" ADD CONSTRAINT "api_token_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "api_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "import_job" ADD CONSTRAINT "import_job_api_user_id_fkey" FOREIGN KEY ("api_user_id") REFERENCES "api_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "import_chunk" ADD CONSTRAINT "import_chunk_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "import_job"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "import_error" ADD CONSTRAINT "import_error_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "import_job"("id") ON DELETE CASCADE ON UPDATE CASCADE;
