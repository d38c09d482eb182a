import { defineConfig } from "prisma/config";

// The CLI is only used for `prisma generate`, `validate` and `format` here: migrations are
// hand-written SQL applied by scripts/migrate.ts (docs/decisions/0002-migrations.md).
export default defineConfig({
  schema: "prisma/schema",
  migrations: { path: "prisma/migrations" },
});
