// Kinds of events, as people choose channels for them (docs/notifications.md). An event's kind is
// "<category>.<what>" (e.g. "service.escalation"); preferences are kept per category, the part
// before the first dot, so a new event of a known domain needs no new setting.

export const CHANNELS = ["WECOM", "EMAIL"] as const;
export type PersonChannel = (typeof CHANNELS)[number];

export const CATEGORIES = ["approvals", "offboarding", "service", "training", "content", "privacy", "groups", "wecom", "other"] as const;
export type Category = (typeof CATEGORIES)[number];

const ALIASES: Record<string, Category> = { policy: "training", incident: "privacy" };

export function categoryOf(kind: string): Category {
  const first = kind.split(".")[0];
  const head = ALIASES[first] ?? first;
  return (CATEGORIES as readonly string[]).includes(head) ? (head as Category) : "other";
}

/** Without a choice of their own, a person gets WeCom app messages (plus the home page, always). */
export const DEFAULT_CHANNELS: readonly PersonChannel[] = ["WECOM"];

/** Kinds that are urgent unless the caller says otherwise: sent at once, even outside working time. */
export const URGENT_KINDS: ReadonlySet<string> = new Set(["service.escalation", "privacy.deadline", "incident.deadline"]);

/** Kinds a daily digest may hold: reminders, never an escalation. */
export function digestible(kind: string): boolean {
  return /^(reminder|nudge|due|overdue|licenceExpiring)$/.test(kind.slice(kind.indexOf(".") + 1));
}

export type ChannelChoice = Partial<Record<Category, PersonChannel[]>>;

export function channelsFor(choice: ChannelChoice | null | undefined, kind: string): readonly PersonChannel[] {
  const c = choice?.[categoryOf(kind)];
  return Array.isArray(c) ? c.filter((x): x is PersonChannel => (CHANNELS as readonly string[]).includes(x)) : DEFAULT_CHANNELS;
}
