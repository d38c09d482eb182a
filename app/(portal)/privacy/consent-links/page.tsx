import type { Metadata } from "next";
import { headers } from "next/headers";
import { Link } from "@/components/ui/link";
import { formatDateTime } from "@/components/groups/format";
import { Badge, Card, PageHeader } from "@/components/ui/card";
import { getI18n } from "@/lib/i18n/server";
import { collectorAccounts, linkToken, qrSvg } from "@/lib/privacy/consent-links";
import { consentSourceCounts } from "@/lib/privacy/self-service";
import { requirePagePermission } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import { ConsentLinkForm, RevokeLinkForm, type LinkNotice } from "./forms";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("consentPage.links.title") };
}

/** The address customers open: PORTAL_URL (or AUTH_URL) when set, else this request's host. */
async function publicBase(): Promise<string> {
  const configured = (process.env.PORTAL_URL || process.env.AUTH_URL || "").replace(/\/+$/, "");
  if (configured) return configured;
  const h = await headers();
  const host = h.get("host") ?? "localhost";
  return `${h.get("x-forwarded-proto") === "https" ? "https" : "http"}://${host}`;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

// The collector's page (issue 19): make a consent link or QR code for a published notice version
// and the purposes needed; see one's links, how many customers submitted through each, revoke one.
export default async function ConsentLinksPage() {
  const actor = await requirePagePermission("consents.record");
  const { t, locale } = await getI18n();
  const prisma = db();
  const [accounts, notices, links, counts] = await Promise.all([
    collectorAccounts(prisma, actor.id),
    prisma.privacyNotice.findMany({ where: { status: "PUBLISHED" }, orderBy: [{ title: "asc" }], select: { id: true, title: true, noticeVersion: true, purposes: true, separateConsents: true } }),
    prisma.consentLink.findMany({ where: { collectorId: actor.id }, orderBy: { createdAt: "desc" }, take: 50, include: { _count: { select: { submissions: { where: { status: "CONFIRMED" } } } } } }),
    consentSourceCounts(prisma),
  ]);
  const base = await publicBase();
  const noticeTitles = new Map(notices.map((n) => [n.id, `${n.title} v${n.noticeVersion}`]));
  // A link lists its purposes by what the notice calls them (the codes are for the records only).
  const purposeNames = new Map(notices.map((n) => [n.id, new Map((n.purposes as LinkNotice["purposes"]).map((p) => [p.code, p.description]))]));
  const sep = t("common.listSeparator");
  const now = new Date();
  const rows = await Promise.all(
    links.map(async (l) => {
      const url = `${base}/c/${linkToken(l)}`;
      return { ...l, url, qr: `data:image/svg+xml;base64,${Buffer.from(await qrSvg(url)).toString("base64")}` };
    }),
  );
  const choices: LinkNotice[] = notices.map((n) => ({ id: n.id, title: n.title, noticeVersion: n.noticeVersion, purposes: n.purposes as LinkNotice["purposes"], separateConsents: strings(n.separateConsents) }));
  return (
    <div className="mx-auto max-w-3xl min-w-0 space-y-4">
      <p className="text-sm">
        <Link href="/privacy" className="text-blue-800 hover:underline">
          ← {t("privacy.back")}
        </Link>
      </p>
      <PageHeader title={t("consentPage.links.title")} description={t("consentPage.links.description")} />
      <p className="text-sm text-slate-700" data-testid="source-counts">{t("consentPage.links.counts", counts)}</p>
      <Card title={t("consentPage.links.create")}>
        {accounts.length === 0 ? (
          <p className="text-sm text-slate-600">{t("consentPage.links.noAccount")}</p>
        ) : choices.length === 0 ? (
          <p className="text-sm text-slate-600">{t("consentPage.links.noNotice")}</p>
        ) : (
          <ConsentLinkForm accounts={accounts.map((a) => ({ id: a.id, label: `${a.displayName}（${a.platformIdMask}）` }))} notices={choices} />
        )}
      </Card>
      <Card title={t("consentPage.links.mine")}>
        {rows.length === 0 ? <p className="text-sm text-slate-600">{t("consentPage.links.none")}</p> : null}
        <ul className="space-y-4">
          {rows.map((l) => {
            const state = l.revokedAt ? "revoked" : l.expiresAt <= now ? "expired" : "active";
            return (
              <li key={l.id} className="flex flex-col gap-3 rounded-md border border-slate-200 p-3 sm:flex-row" data-testid="consent-link">
                {/* eslint-disable-next-line @next/next/no-img-element -- a data: URI drawn on the server, nothing to optimise */}
                <img src={l.qr} alt={t("consentPage.links.qr")} width={144} height={144} className="size-36 shrink-0 self-center" />
                <div className="min-w-0 space-y-1 text-sm">
                  <p className="font-medium">
                    {noticeTitles.get(l.noticeId) ?? l.noticeId} <Badge tone={state === "active" ? "green" : "slate"}>{t(`consentPage.links.${state}`)}</Badge>
                  </p>
                  {l.label ? <p>{l.label}</p> : null}
                  <p>
                    {strings(l.purposes).map((code) => purposeNames.get(l.noticeId)?.get(code) ?? code).join(sep)}
                    {strings(l.separateConsents).length ? ` · ${strings(l.separateConsents).map((s) => t(`privacy.separate.${s}`)).join(sep)}` : ""}
                  </p>
                  <p>
                    {t("common.labelled", { label: t("consentPage.links.expiresAt"), value: formatDateTime(l.expiresAt, locale) })} · {t("common.labelled", { label: t("consentPage.links.submissions"), value: l._count.submissions })}
                  </p>
                  <p className="break-all">
                    <span className="sr-only">{t("common.labelled", { label: t("consentPage.links.url"), value: "" })}</span>
                    <a href={l.url} className="text-blue-800 underline" data-testid="consent-link-url">
                      {l.url}
                    </a>
                  </p>
                  {state === "active" ? <RevokeLinkForm id={l.id} /> : null}
                </div>
              </li>
            );
          })}
        </ul>
      </Card>
    </div>
  );
}
