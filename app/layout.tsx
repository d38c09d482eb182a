import type { Metadata, Viewport } from "next";
import { I18nProvider } from "@/lib/i18n/client";
import { getI18n } from "@/lib/i18n/server";
import "./globals.css";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: { default: t("common.appName"), template: `%s · ${t("common.appShort")}` } };
}

// viewportFit "cover": the phone tab bar pads itself by the safe area (the iPhone home indicator).
export const viewport: Viewport = { width: "device-width", initialScale: 1, viewportFit: "cover" };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const { locale } = await getI18n();
  return (
    <html lang={locale} className="h-full">
      <body className="min-h-full bg-slate-50 text-slate-900 antialiased">
        <I18nProvider locale={locale}>
          {children}
        </I18nProvider>
      </body>
    </html>
  );
}
