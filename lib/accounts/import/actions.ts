"use server";
import { defineAction } from "@/lib/server/action";
import { confirmImport } from "./commands";
import { confirmImportSchema } from "./schemas";

/** Confirms a previewed import: every row to add, in one transaction, audited once. */
export const confirmImportAction = defineAction({
  schema: confirmImportSchema,
  permission: "accounts.manage",
  run: ({ actor, input, tx, audit }) => confirmImport(actor, input, tx, audit),
  revalidate: (r) => ["/accounts/import", `/accounts/import/${r.importId}`],
});
