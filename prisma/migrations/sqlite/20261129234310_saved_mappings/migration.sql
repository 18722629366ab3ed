-- CreateTable
CREATE TABLE "saved_mapping" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "name_key" TEXT NOT NULL,
    "columns" TEXT NOT NULL,
    "formats" TEXT NOT NULL DEFAULT '{}',
    "created_by_id" TEXT,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "saved_mapping_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "staff_user" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "saved_mapping_name_key_key" ON "saved_mapping"("name_key");
