-- Before-images: one row per batch (a JSON array of [external_id, ordinal,
-- state before]) instead of one row per target. The rows kept are carried over.
-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_import_change" (
    "job_id" TEXT NOT NULL,
    "first_ordinal" INTEGER NOT NULL,
    "entry_count" INTEGER NOT NULL,
    "entries" TEXT NOT NULL,

    PRIMARY KEY ("job_id", "first_ordinal"),
    CONSTRAINT "import_change_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "import_job" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_import_change" ("job_id", "first_ordinal", "entry_count", "entries")
SELECT "job_id", MIN("ordinal"), COUNT(*), json_group_array(json_array("external_id", "ordinal", json("before")))
  FROM (SELECT * FROM "import_change" ORDER BY "job_id", "ordinal") GROUP BY "job_id", "ordinal" / 1000;
DROP TABLE "import_change";
ALTER TABLE "new_import_change" RENAME TO "import_change";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
