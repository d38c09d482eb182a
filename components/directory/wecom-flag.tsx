import { Badge } from "@/components/ui/card";
import { wecomFlag } from "@/lib/directory/format";
import type { Translate } from "@/lib/i18n/translate";

/** What WeCom's sync says about an employee (left, disabled, not activated, gone), in words; nothing
 * when WeCom has nothing to flag. */
export function WeComFlag({ employee, t }: { employee: Parameters<typeof wecomFlag>[0]; t: Translate }) {
  const flag = wecomFlag(employee);
  if (!flag) return null;
  const tone = employee.wecomRemovedAt || employee.wecomStatus === 5 ? "red" : "amber";
  return (
    <span data-testid="wecom-flag">
      <Badge tone={tone}>{t(flag.key, flag.params)}</Badge>
    </span>
  );
}
