-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_custom_field" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "slug" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "filterable" BOOLEAN NOT NULL DEFAULT false,
    "filter_index_ready" BOOLEAN NOT NULL DEFAULT false
);
INSERT INTO "new_custom_field" ("created_at", "id", "kind", "label", "slug") SELECT "created_at", "id", "kind", "label", "slug" FROM "custom_field";
DROP TABLE "custom_field";
ALTER TABLE "new_custom_field" RENAME TO "custom_field";
CREATE UNIQUE INDEX "custom_field_slug_key" ON "custom_field"("slug");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
