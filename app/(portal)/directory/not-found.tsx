import { LinkButton } from "@/components/ui/button";
import { getI18n } from "@/lib/i18n/server";

// Inside the portal's shell: an employee or department that does not exist, or that the person
// may not see (a manager opening someone outside their subtree), gets this same page and a 404.
export default async function DirectoryNotFound() {
  const { t } = await getI18n();
  return (
    <div className="mx-auto max-w-lg py-12 text-center" data-testid="not-found">
      <h1 className="text-2xl font-semibold">{t("common.notFoundTitle")}</h1>
      <p className="mt-2 text-slate-600">{t("common.notFoundBody")}</p>
      <LinkButton href="/" className="mt-6">
        {t("common.backToHome")}
      </LinkButton>
    </div>
  );
}
