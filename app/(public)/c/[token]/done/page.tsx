import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { PublicFrame, publicI18n, publicMetadata, Section } from "../../../_components/public";

export async function generateMetadata({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }): Promise<Metadata> {
  return publicMetadata("done", await searchParams);
}

type Props = { params: Promise<{ token: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function ConsentDonePage({ params, searchParams }: Props) {
  const { token } = await params;
  const i18n = publicI18n(await searchParams);
  const { t } = i18n;
  return (
    <PublicFrame i18n={i18n} path={`/c/${encodeURIComponent(token)}/done`}>
      <Section level={1} title={t("consentPage.done.heading")}>
        <p role="status">{t("consentPage.done.body")}</p>
        <Link className="text-blue-700 underline" href={i18n.q("/privacy-center")}>{t("consentPage.done.center")}</Link>
      </Section>
    </PublicFrame>
  );
}
