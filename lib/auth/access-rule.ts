import { departureInstant } from "@/lib/offboarding/time";

// Who may still sign in (docs/sign-in.md "Leavers"), one rule for every method — password, WeCom
// (in the client and by QR), OpenID Connect — and for the grant's redemption:
// - DEPARTED: never (SPEC §2).
// - OFFBOARDING: yes, until their departure instant — 18:00 China time on the last working day —
//   so they can hand over, answer their successors and finish training during the notice period
//   (SPEC §6: "On the last working day the employee loses portal access"). From that instant on
//   they are refused even before the departures sweep (every 5 minutes) marks them DEPARTED.

export function signInClosed(employee: { status: string; leaveDate: Date | null }, now = new Date()): boolean {
  if (employee.status === "DEPARTED") return true;
  return employee.status === "OFFBOARDING" && employee.leaveDate !== null && departureInstant(employee.leaveDate).getTime() <= now.getTime();
}
