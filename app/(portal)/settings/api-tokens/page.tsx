import type { Metadata } from "next";
import { formatDateTime } from "@/components/groups/format";
import { Badge, Card, PageHeader } from "@/components/ui/card";
import { Cell, DataList, ListBody, ListEmpty, ListHead, ListRow } from "@/components/ui/data-list";
import { Link } from "@/components/ui/link";
import { Th } from "@/components/ui/table";
import { listTokens } from "@/lib/api-tokens/tokens";
import { departmentOptions } from "@/lib/directory/queries";
import { getI18n } from "@/lib/i18n/server";
import { requirePagePermission } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import { IssueTokenForm, RevokeTokenForm } from "./token-forms";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("privacy.apiTokens.title") };
}

// Personal access tokens for /api/v1: ADMIN issues (the token is shown once) and revokes.
export default async function ApiTokensPage() {
  const actor = await requirePagePermission("apiTokens.manage");
  const { t, locale } = await getI18n();
  const client = db();
  const [tokens, people, departments] = await Promise.all([
    listTokens(client),
    client.employee.findMany({ where: { status: { not: "DEPARTED" } }, select: { id: true, name: true, email: true }, orderBy: { name: "asc" }, take: 500 }),
    departmentOptions(actor, client),
  ]);
  const now = new Date();
  return (
    <div className="min-w-0 space-y-4">
      <PageHeader title={t("privacy.apiTokens.title")} description={t("privacy.apiTokens.description")} />
      <p className="text-sm">
        <Link className="text-blue-700 underline" href="/settings/api">
          {t("privacy.apiTokens.reference")}
        </Link>
        {" · "}
        <Link className="text-blue-700 underline" href="/settings/api/import">
          {t("privacy.apiImport.title")}
        </Link>
      </p>
      <Card title={t("privacy.apiTokens.issue")}>
        <IssueTokenForm
          people={people.map((p) => ({ value: p.id, label: `${p.name}（${p.email}）` }))}
          departments={departments.map((d) => ({ value: d.id, label: `${"　".repeat(d.depth)}${d.name}（${d.code}）` }))}
        />
      </Card>
      <DataList caption={t("privacy.apiTokens.title")}>
        <ListHead>
            <Th>{t("privacy.apiTokens.name")}</Th>
            <Th>{t("privacy.apiTokens.prefix")}</Th>
            <Th>{t("privacy.apiTokens.owner")}</Th>
            <Th>{t("privacy.apiTokens.scopes")}</Th>
            <Th>{t("privacy.apiTokens.createdAt")}</Th>
            <Th>{t("privacy.apiTokens.lastUsedAt")}</Th>
            <Th>{t("privacy.apiTokens.state")}</Th>
            <Th>{t("privacy.apiTokens.actions")}</Th>
        </ListHead>
        <ListBody data-testid="token-table">
          {tokens.length === 0 ? <ListEmpty colSpan={8}>{t("privacy.apiTokens.empty")}</ListEmpty> : null}
          {tokens.map((tk) => {
            const expired = tk.expiresAt !== null && tk.expiresAt <= now;
            return (
              <ListRow key={tk.id} data-testid="token-row">
                <Cell kind="title">{tk.name}</Cell>
                <Cell label={t("privacy.apiTokens.prefix")} className="font-mono">{tk.prefix}…</Cell>
                <Cell label={t("privacy.apiTokens.owner")}>{tk.owner?.name ?? "—"}</Cell>
                <Cell label={t("privacy.apiTokens.scopes")}>
                  <span className="font-mono text-xs break-words">{tk.scopes.join(" ")}</span>
                  {tk.department ? <span className="block text-xs text-slate-600">{t("privacy.apiTokens.onlyDepartment", { name: tk.department.name })}</span> : null}
                  {tk.note ? <span className="block text-xs text-slate-600">{tk.note}</span> : null}
                </Cell>
                <Cell label={t("privacy.apiTokens.createdAt")} className="whitespace-nowrap">{formatDateTime(tk.createdAt, locale)}</Cell>
                <Cell label={t("privacy.apiTokens.lastUsedAt")} className="whitespace-nowrap">{formatDateTime(tk.lastUsedAt, locale)}</Cell>
                <Cell kind="status">
                  {tk.revokedAt ? <Badge tone="slate">{t("privacy.apiTokens.revoked")}</Badge> : expired ? <Badge tone="amber">{t("privacy.apiTokens.expired")}</Badge> : <Badge tone="green">{t("privacy.apiTokens.active")}</Badge>}
                </Cell>
                <Cell kind="actions">{tk.revokedAt ? null : <RevokeTokenForm id={tk.id} name={tk.name} />}</Cell>
              </ListRow>
            );
          })}
        </ListBody>
      </DataList>
    </div>
  );
}
