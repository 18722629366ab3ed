-- Before-images: one row per batch (a JSON array of [external_id, ordinal,
-- state before]) instead of one row per target. The rows kept are carried over.
CREATE TABLE "import_change_new" (
    "job_id" TEXT NOT NULL,
    "first_ordinal" INTEGER NOT NULL,
    "entry_count" INTEGER NOT NULL,
    "entries" TEXT NOT NULL
);
INSERT INTO "import_change_new" ("job_id", "first_ordinal", "entry_count", "entries")
SELECT "job_id", MIN("ordinal"), COUNT(*)::int, json_agg(json_build_array("external_id", "ordinal", "before"::json) ORDER BY "ordinal")::text
  FROM "import_change" GROUP BY "job_id", "ordinal" / 1000;
DROP TABLE "import_change";
ALTER TABLE "import_change_new" RENAME TO "import_change";
ALTER TABLE "import_change" ADD CONSTRAINT "import_change_pkey" PRIMARY KEY ("job_id", "first_ordinal");
ALTER TABLE "import_change" ADD CONSTRAINT "import_change_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "import_job"("id") ON DELETE CASCADE ON UPDATE CASCADE;
