import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { notFound } from "next/navigation";
import { formatDateTime, formatDay } from "@/components/groups/format";
import { Card, PageHeader } from "@/components/ui/card";
import { getMedia } from "@/lib/content/queries";
import { getI18n } from "@/lib/i18n/server";
import { requirePagePermission } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import { MediaForm } from "../../_components/media-form";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("content.media.title") };
}

export default async function MediaAssetPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePagePermission("content.submit", "content.read:all", "media.manage");
  const { id } = await params;
  const { t, locale } = await getI18n();
  const found = await getMedia(db(), id);
  if (!found) notFound();
  const { asset, registeredBy } = found;
  const canEdit = asset.registeredById === actor.id || actor.permissions.has("media.manage");
  const rows: Array<[string, string]> = [
    [t("content.media.fields.kind"), t(`content.mediaKind.${asset.kind}`)],
    [t("content.media.fields.source"), asset.source],
    [t("content.media.fields.licenceType"), t(`content.licenceType.${asset.licenceType}`)],
    [t("content.media.fields.licensee"), asset.licensee ?? t("content.none")],
    [t("content.media.fields.scope"), asset.scope ?? t("content.none")],
    [t("content.media.fields.licenceExpiresOn"), asset.licenceExpiresOn ? formatDay(asset.licenceExpiresOn, locale) : t("content.licence.perpetual")],
    [t("content.media.fields.registeredBy"), registeredBy?.name ?? t("content.none")],
    [t("content.fields.updatedAt"), formatDateTime(asset.updatedAt, locale)],
    [t("content.media.fields.note"), asset.note ?? t("content.none")],
  ];
  return (
    <div className="mx-auto max-w-2xl space-y-4">
      <p className="text-sm">
        <Link href="/content/media" className="text-blue-800 hover:underline">
          ← {t("content.media.back")}
        </Link>
      </p>
      <PageHeader title={asset.name} description={t("content.media.usedIn", { count: asset._count.usages })} />
      <Card>
        <dl className="grid gap-2 text-sm sm:grid-cols-3">
          {rows.map(([k, v]) => (
            <div key={k} className="sm:contents">
              <dt className="font-medium text-slate-600">{k}</dt>
              <dd className="break-words text-slate-900 sm:col-span-2">{v}</dd>
            </div>
          ))}
        </dl>
      </Card>
      {canEdit ? (
        <MediaForm
          defaults={{
            id: asset.id,
            version: asset.version,
            kind: asset.kind,
            name: asset.name,
            source: asset.source,
            licenceType: asset.licenceType,
            licensee: asset.licensee ?? "",
            scope: asset.scope ?? "",
            licenceExpiresOn: asset.licenceExpiresOn ? asset.licenceExpiresOn.toISOString().slice(0, 10) : "",
            note: asset.note ?? "",
          }}
        />
      ) : (
        <p className="text-sm text-slate-600">{t("content.media.readOnly")}</p>
      )}
    </div>
  );
}
