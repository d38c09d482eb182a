import type { NoticeFormValues } from "../_components/forms";

/** A stored version as the notice form's values. */
export function noticeFormValues(n: {
  noticeKey: string;
  title: string;
  processorName: string | null;
  processorContact: string | null;
  purposes: { code: string; description: string }[];
  methods: string | null;
  categories: { code: string; name: string; sensitive: boolean }[];
  retentionDays: number | null;
  rightsText: string | null;
  separateConsents: string[];
}): NoticeFormValues {
  return {
    noticeKey: n.noticeKey,
    title: n.title,
    processorName: n.processorName ?? "",
    processorContact: n.processorContact ?? "",
    purposes: n.purposes.map((p) => `${p.code}: ${p.description}`).join("\n"),
    methods: n.methods ?? "",
    categories: n.categories.map((c) => `${c.code}: ${c.name}`).join("\n"),
    sensitiveCategories: n.categories.filter((c) => c.sensitive).map((c) => c.code).join(", "),
    retentionDays: n.retentionDays ? String(n.retentionDays) : "",
    rightsText: n.rightsText ?? "",
    separateConsents: n.separateConsents,
  };
}
