import { describe, expect, it } from "vitest";
import { decideConsent, type ConsentForDecision, type ConsentFollowUp } from "@/lib/privacy/validity";

// The validity answer as a pure function of a subject's consents and a clock.

const DAY = 86_400_000;
const now = new Date("2026-11-25T08:00:00Z");
const ago = (days: number) => new Date(now.getTime() - days * DAY);
const later = (days: number) => new Date(now.getTime() + days * DAY);

function consent(overrides: Partial<ConsentForDecision> = {}, followUps: Partial<ConsentFollowUp>[] = []): ConsentForDecision {
  return {
    id: `c${Math.random().toString(36).slice(2)}`,
    subjectId: "s1",
    noticeId: "n1",
    purposes: ["SERVICE"],
    separateConsents: [],
    occurredAt: ago(10),
    expiresAt: later(355),
    subjectMinor: false,
    guardianConsent: false,
    guardianName: null,
    channel: "WECOM",
    ...overrides,
    followUps: followUps.map((f, i) => ({ id: `f${i}`, kind: "RENEW", occurredAt: ago(1), expiresAt: null, channel: null, ...f })),
  };
}

describe("decideConsent", () => {
  it("granted: yes, with the grant that decides", () => {
    const c = consent();
    expect(decideConsent([c], { purpose: "SERVICE" }, now)).toMatchObject({ valid: true, reason: "VALID", record: { consentId: c.id, expiresAt: c.expiresAt } });
  });

  it("no consent for the purpose: no, without a record", () => {
    expect(decideConsent([consent()], { purpose: "MARKETING" }, now)).toEqual({ valid: false, reason: "NO_CONSENT", record: null });
    expect(decideConsent([], { purpose: "SERVICE" }, now)).toEqual({ valid: false, reason: "NO_CONSENT", record: null });
  });

  it("withdrawn: no from the moment of withdrawal, yes before it", () => {
    const c = consent({}, [{ kind: "WITHDRAW", occurredAt: ago(2), channel: "PHONE" }]);
    expect(decideConsent([c], { purpose: "SERVICE" }, now)).toMatchObject({ valid: false, reason: "WITHDRAWN", record: { consentId: c.id, withdrawnAt: ago(2), withdrawalChannel: "PHONE" } });
    expect(decideConsent([c], { purpose: "SERVICE" }, ago(3))).toMatchObject({ valid: true });
  });

  it("expired: no once the expiry has passed", () => {
    const c = consent({ occurredAt: ago(400), expiresAt: ago(35) });
    expect(decideConsent([c], { purpose: "SERVICE" }, now)).toMatchObject({ valid: false, reason: "EXPIRED", record: { expiresAt: ago(35) } });
  });

  it("renewed: an expired consent renewed is valid again until the renewal's expiry", () => {
    const c = consent({ occurredAt: ago(400), expiresAt: ago(35) }, [{ kind: "RENEW", occurredAt: ago(1), expiresAt: later(364) }]);
    expect(decideConsent([c], { purpose: "SERVICE" }, now)).toMatchObject({ valid: true, reason: "VALID", record: { expiresAt: later(364) } });
    // Before the renewal it was expired.
    expect(decideConsent([c], { purpose: "SERVICE" }, ago(2))).toMatchObject({ valid: false, reason: "EXPIRED" });
  });

  it("separate consent missing: no, naming the consent for the purpose that lacks it", () => {
    const c = consent({ separateConsents: ["SENSITIVE"] });
    expect(decideConsent([c], { purpose: "SERVICE", separate: "THIRD_PARTY" }, now)).toMatchObject({ valid: false, reason: "SEPARATE_CONSENT_MISSING", record: { consentId: c.id } });
    expect(decideConsent([c], { purpose: "SERVICE", separate: "SENSITIVE" }, now)).toMatchObject({ valid: true });
  });

  it("minor without guardian: no; with the guardian's consent: yes", () => {
    expect(decideConsent([consent({ subjectMinor: true })], { purpose: "SERVICE" }, now)).toMatchObject({ valid: false, reason: "MINOR_WITHOUT_GUARDIAN" });
    expect(decideConsent([consent({ subjectMinor: true, guardianConsent: true, guardianName: "王父" })], { purpose: "SERVICE" }, now)).toMatchObject({ valid: true });
  });

  it("among several, a valid one decides; else the latest says why", () => {
    const old = consent({ occurredAt: ago(400), expiresAt: ago(35) });
    const current = consent({ occurredAt: ago(5) });
    expect(decideConsent([old, current], { purpose: "SERVICE" }, now).record?.consentId).toBe(current.id);
    const withdrawn = consent({ occurredAt: ago(3) }, [{ kind: "WITHDRAW", occurredAt: ago(1) }]);
    expect(decideConsent([old, withdrawn], { purpose: "SERVICE" }, now)).toMatchObject({ valid: false, reason: "WITHDRAWN", record: { consentId: withdrawn.id } });
  });

  it("a consent given in the future does not count yet", () => {
    expect(decideConsent([consent({ occurredAt: later(1) })], { purpose: "SERVICE" }, now)).toMatchObject({ valid: false, reason: "NOT_YET_GIVEN" });
  });
});
