-- AlterTable
ALTER TABLE "custom_field" ADD COLUMN     "filter_index_ready" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "filterable" BOOLEAN NOT NULL DEFAULT false;
