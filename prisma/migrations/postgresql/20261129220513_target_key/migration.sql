-- DropIndex
DROP INDEX "target_external_id_key";

-- AlterTable
ALTER TABLE "target" DROP CONSTRAINT "target_pkey",
DROP COLUMN "id",
ADD CONSTRAINT "target_pkey" PRIMARY KEY ("external_id");
