-- Hand-edited (decision 025): target_change without a rowid (its key is
-- all it holds). The folded id and email indexes are whole here: the schema
-- engine cannot describe a partial index on SQLite (migration:create fails).
-- CreateTable
CREATE TABLE "target_change" (
    "job_seq" INTEGER NOT NULL,
    "external_id" TEXT NOT NULL,
    "batch" INTEGER NOT NULL,

    PRIMARY KEY ("job_seq", "external_id")
) WITHOUT ROWID;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_target" (
    "external_id" TEXT NOT NULL PRIMARY KEY,
    "first_name" TEXT,
    "last_name" TEXT,
    "email" TEXT,
    "phone_number" TEXT,
    "subscription_email" BOOLEAN,
    "subscription_sms" BOOLEAN,
    "subscription_phone" BOOLEAN,
    "subscription_whatsapp" BOOLEAN,
    "custom" TEXT NOT NULL DEFAULT '{}',
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL,
    "last_job_seq" INTEGER,
    "search_id" TEXT,
    "search_first" TEXT NOT NULL DEFAULT '',
    "search_last" TEXT NOT NULL DEFAULT '',
    "search_email" TEXT,
    "flag_code" INTEGER NOT NULL DEFAULT 0
);
INSERT INTO "new_target" ("created_at", "custom", "email", "external_id", "first_name", "last_job_seq", "last_name", "phone_number", "subscription_email", "subscription_phone", "subscription_sms", "subscription_whatsapp", "updated_at") SELECT "created_at", "custom", "email", "external_id", "first_name", "last_job_seq", "last_name", "phone_number", "subscription_email", "subscription_phone", "subscription_sms", "subscription_whatsapp", "updated_at" FROM "target";
-- Targets stored before this migration: their search columns are filled by
-- the first start after it (lib/targets/search-backfill.ts), which finds them
-- by this mark.
UPDATE "new_target" SET "flag_code" = -1;
DROP TABLE "target";
ALTER TABLE "new_target" RENAME TO "target";
CREATE INDEX "target_email_idx" ON "target"("email");
CREATE INDEX "target_phone_number_idx" ON "target"("phone_number");
CREATE INDEX "target_search_last_idx" ON "target"("search_last");
CREATE INDEX "target_search_first_idx" ON "target"("search_first");
CREATE INDEX "target_search_id_idx" ON "target"("search_id");
CREATE INDEX "target_search_email_idx" ON "target"("search_email");
CREATE INDEX "target_updated_at_idx" ON "target"("updated_at");
CREATE INDEX "target_flag_code_idx" ON "target"("flag_code");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

