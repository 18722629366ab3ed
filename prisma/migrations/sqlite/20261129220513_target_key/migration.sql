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
    "updated_at" DATETIME NOT NULL
);
INSERT INTO "new_target" ("created_at", "custom", "email", "external_id", "first_name", "last_name", "phone_number", "subscription_email", "subscription_phone", "subscription_sms", "subscription_whatsapp", "updated_at") SELECT "created_at", "custom", "email", "external_id", "first_name", "last_name", "phone_number", "subscription_email", "subscription_phone", "subscription_sms", "subscription_whatsapp", "updated_at" FROM "target";
DROP TABLE "target";
ALTER TABLE "new_target" RENAME TO "target";
CREATE INDEX "target_email_idx" ON "target"("email");
CREATE INDEX "target_phone_number_idx" ON "target"("phone_number");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
