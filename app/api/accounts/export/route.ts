import { csvResponse } from "@/lib/csv";
import { accountExportPages, type AccountRow } from "@/lib/accounts/queries";
import { accountExportSchema, FILTER_KEYS } from "@/lib/accounts/schemas";
import { db } from "@/lib/server/db";
import { defineRoute } from "@/lib/server/route";

// The account registry as CSV: every account the registry shows for the same filters and search,
// within the actor's scope, in id order, streamed a page at a time. Identifiers and phone numbers
// are the stored masks (never decrypted here). Handing out the list is audited; exact-value
// searches are recorded as "given", never with the value searched for.

const HEADER = ["id", "type", "display_name", "status", "platform_id_masked", "phone_masked", "holder_employee_no", "holder", "custodian_department_code", "custodian_department", "customer_contacts", "created_at", "updated_at"] as const;

function cells(a: AccountRow): unknown[] {
  return [a.id, a.type, a.displayName, a.status, a.platformIdMask, a.phoneMask, a.holder?.employeeNo, a.holder?.name, a.department?.code, a.department?.name, a.contacts, a.createdAt, a.updatedAt];
}

export const GET = defineRoute({
  query: accountExportSchema,
  permission: ["accounts.request", "accounts.read:department", "accounts.read:all"],
  async run({ actor, input, audit }) {
    const filters: Record<string, string> = {};
    for (const key of ["q", ...FILTER_KEYS] as const) if (input[key]) filters[key] = key === "platformId" || key === "phone" ? "(given)" : input[key];
    await audit({
      action: "account.export",
      entityType: "Account",
      entityId: "*",
      after: { filters, scope: actor.permissions.has("accounts.read:all") ? "all" : actor.permissions.has("accounts.read:department") ? "department" : "own" },
    });
    const stamp = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(new Date());
    const client = db();
    async function* pages() {
      for await (const page of accountExportPages(actor, client, input)) yield page.map(cells);
    }
    return csvResponse(`accounts-${stamp}.csv`, HEADER, pages());
  },
});
