-- DropIndex
DROP INDEX "target_first_name_last_name_idx";
