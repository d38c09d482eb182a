import type { Metadata } from "next";
import { ForbiddenView } from "@/components/shell/forbidden-view";
import { getI18n } from "@/lib/i18n/server";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("common.forbiddenTitle") };
}

// Portal pages render app/(portal)/forbidden.tsx inside the shell; this one is for anything else,
// and carries no <main> of its own (it may be rendered inside one).
export default function Forbidden() {
  return (
    <div className="mx-auto max-w-lg px-4">
      <ForbiddenView />
    </div>
  );
}
