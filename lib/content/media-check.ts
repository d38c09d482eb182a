// Media licence checks (SPEC §11), pure. A submission's media are checked against its planned
// publishing date: no recorded licence, or a licence ending before that date, is a finding (the
// reviewer decides); a licence already expired on the day the content is saved is refused outright
// (a new publication may not use it at all).

export const MEDIA_KINDS = ["IMAGE", "FONT", "MUSIC", "VIDEO"] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];
export const LICENCE_TYPES = ["NONE", "OWN_WORK", "PURCHASED", "SUBSCRIPTION", "CREATIVE_COMMONS", "AUTHORISED"] as const;
export type LicenceType = (typeof LICENCE_TYPES)[number];

/** The article a media finding cites. */
export const MEDIA_ARTICLE = "《著作权法》第二十六条（许可使用合同）";
export const MEDIA_RULES = { missing: "MEDIA_LICENCE_MISSING", expires: "MEDIA_LICENCE_EXPIRES" } as const;

export type MediaForCheck = { id: string; name: string; licenceType: LicenceType; licenceExpiresOn: Date | null };
export type MediaFinding = { rule: (typeof MEDIA_RULES)[keyof typeof MEDIA_RULES]; mediaId: string; term: string };

/** A licence's last valid day is licenceExpiresOn (a calendar date, UTC midnight). */
export function licenceValidOn(asset: Pick<MediaForCheck, "licenceType" | "licenceExpiresOn">, day: Date): boolean {
  if (asset.licenceType === "NONE") return false;
  if (!asset.licenceExpiresOn) return true;
  return dayKey(asset.licenceExpiresOn) >= dayKey(day);
}

/** YYYY-MM-DD of an instant in China Standard Time (UTC+8, no daylight saving). */
export function dayKey(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** Findings for the media of a submission planned for `plannedAt`. */
export function checkMedia(assets: readonly MediaForCheck[], plannedAt: Date): MediaFinding[] {
  const out: MediaFinding[] = [];
  for (const a of assets) {
    if (a.licenceType === "NONE") out.push({ rule: MEDIA_RULES.missing, mediaId: a.id, term: a.name });
    else if (!licenceValidOn(a, plannedAt)) out.push({ rule: MEDIA_RULES.expires, mediaId: a.id, term: a.name });
  }
  return out;
}

/** Assets whose licence has already ended on `today` (a new publication may not use them). */
export function expiredAssets<T extends Pick<MediaForCheck, "licenceType" | "licenceExpiresOn">>(assets: readonly T[], today: Date): T[] {
  return assets.filter((a) => a.licenceType !== "NONE" && a.licenceExpiresOn !== null && dayKey(a.licenceExpiresOn) < dayKey(today));
}
