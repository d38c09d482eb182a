// A consent's purposes are stored as the codes of its notice's purposes (SERVICE, MARKETING …);
// a person reads each as the notice describes it ("提供售后服务"), the code only when the notice
// no longer names it.
export function purposeNames(codes: readonly string[], noticePurposes: unknown): string[] {
  const listed = Array.isArray(noticePurposes) ? (noticePurposes as { code?: unknown; description?: unknown }[]) : [];
  const byCode = new Map(listed.filter((p) => typeof p?.code === "string" && typeof p?.description === "string").map((p) => [p.code as string, p.description as string]));
  return codes.map((c) => byCode.get(c) ?? c);
}
