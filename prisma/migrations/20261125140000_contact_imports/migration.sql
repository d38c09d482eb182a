-- Customer-contact import: staged files and rows (previewed, then confirmed into customer_contacts).

-- CreateEnum
CREATE TYPE "ContactImportStatus" AS ENUM ('STAGING', 'READY', 'CONFIRMED', 'FAILED', 'EXPIRED');

-- CreateEnum
CREATE TYPE "ContactImportCategory" AS ENUM ('ADD', 'DUPLICATE', 'INVALID');

-- CreateTable
CREATE TABLE "contact_imports" (
    "id" TEXT NOT NULL,
    "created_by_id" TEXT NOT NULL,
    "file_name" TEXT NOT NULL,
    "encoding" TEXT NOT NULL,
    "status" "ContactImportStatus" NOT NULL DEFAULT 'STAGING',
    "total_rows" INTEGER NOT NULL DEFAULT 0,
    "add_count" INTEGER NOT NULL DEFAULT 0,
    "duplicate_count" INTEGER NOT NULL DEFAULT 0,
    "invalid_count" INTEGER NOT NULL DEFAULT 0,
    "inserted_count" INTEGER,
    "error_key" TEXT,
    "error_detail" TEXT,
    "confirmed_by_id" TEXT,
    "confirmed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "contact_imports_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contact_import_rows" (
    "import_id" TEXT NOT NULL,
    "row_number" INTEGER NOT NULL,
    "category" "ContactImportCategory" NOT NULL,
    "reasons" TEXT NOT NULL DEFAULT '',
    "duplicate_of_row" INTEGER,
    "raw_external_id" TEXT NOT NULL,
    "raw_name" TEXT NOT NULL,
    "raw_company" TEXT NOT NULL,
    "raw_added_at" TEXT NOT NULL,
    "raw_account" TEXT NOT NULL,
    "account_id" TEXT,
    "external_id" TEXT,
    "name" TEXT,
    "company" TEXT,
    "added_at" TIMESTAMPTZ(3),

    CONSTRAINT "contact_import_rows_pkey" PRIMARY KEY ("import_id","row_number")
);

-- CreateTable
CREATE TABLE "contact_import_chunks" (
    "import_id" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,

    CONSTRAINT "contact_import_chunks_pkey" PRIMARY KEY ("import_id","index")
);

-- CreateIndex
CREATE INDEX "contact_imports_created_by_id_created_at_idx" ON "contact_imports"("created_by_id", "created_at");

-- CreateIndex
CREATE INDEX "contact_imports_status_created_at_idx" ON "contact_imports"("status", "created_at");

-- CreateIndex
CREATE INDEX "contact_import_rows_import_id_category_row_number_idx" ON "contact_import_rows"("import_id", "category", "row_number");

-- AddForeignKey
ALTER TABLE "contact_import_rows" ADD CONSTRAINT "contact_import_rows_import_id_fkey" FOREIGN KEY ("import_id") REFERENCES "contact_imports"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contact_import_chunks" ADD CONSTRAINT "contact_import_chunks_import_id_fkey" FOREIGN KEY ("import_id") REFERENCES "contact_imports"("id") ON DELETE CASCADE ON UPDATE CASCADE;
