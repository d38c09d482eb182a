// How many rows of each kind the large-dataset generator (`npm run seed:large -- --scale N`) writes,
// and how they are distributed. Pure, so the counts and the department sizes are unit-tested.
// Issue 9 sets scale 1: about 20,000 employees in 300 departments, 100,000 work groups, 2,000
// accounts with 1,000,000 customer contacts, 1,000,000 consent records, 300,000 service cases,
// 200,000 training assignments (ten courses for everyone) and 2,000,000 audit events.

export type DatasetPlan = {
  scale: number;
  departments: number;
  employees: number;
  groups: number;
  accounts: number;
  contacts: number;
  auditEvents: number;
  serviceCases: number;
  consents: number;
};

const AT_SCALE_1 = { departments: 300, employees: 20_000, groups: 100_000, accounts: 2_000, contacts: 1_000_000, auditEvents: 2_000_000, serviceCases: 300_000, consents: 1_000_000 } as const;

/** Smallest sizes that still give every figure something to count (a tree of 4 levels, a leaver, ...). */
const FLOOR = { departments: 14, employees: 120, groups: 200, accounts: 12, contacts: 600, auditEvents: 1_000, serviceCases: 300, consents: 1_000 } as const;

export const MAX_SCALE = 5;

export function planFor(scale: number): DatasetPlan {
  if (!Number.isFinite(scale) || scale <= 0 || scale > MAX_SCALE) throw new RangeError(`scale must be greater than 0 and at most ${MAX_SCALE}`);
  const n = (key: keyof typeof AT_SCALE_1) => Math.max(FLOOR[key], Math.round(AT_SCALE_1[key] * scale));
  return {
    scale,
    departments: n("departments"),
    employees: n("employees"),
    groups: n("groups"),
    accounts: n("accounts"),
    contacts: n("contacts"),
    auditEvents: n("auditEvents"),
    serviceCases: n("serviceCases"),
    consents: n("consents"),
  };
}

export type PlannedDepartment = { index: number; parentIndex: number | null; depth: number; code: string; size: number };

/**
 * The department tree: one head office, then divisions, departments and teams (4 levels), with
 * employees spread over them the way real companies are: a few large teams and a long tail of
 * small ones (Zipf-like weights, exponent 0.8), every department with at least 2 people.
 */
export function planDepartments(departments: number, employees: number): PlannedDepartment[] {
  if (departments < 4) throw new RangeError("at least 4 departments (one per level)");
  const divisions = Math.max(departments >= 8 ? 2 : 1, Math.round(departments * 0.03));
  const middles = Math.max(1, Math.round(departments * 0.13));
  const teams = departments - 1 - divisions - middles;
  const out: PlannedDepartment[] = [{ index: 0, parentIndex: null, depth: 0, code: "L-HQ", size: 0 }];
  for (let i = 0; i < divisions; i++) out.push({ index: out.length, parentIndex: 0, depth: 1, code: `L-D${i + 1}`, size: 0 });
  for (let i = 0; i < middles; i++) out.push({ index: out.length, parentIndex: 1 + (i % divisions), depth: 2, code: `L-M${i + 1}`, size: 0 });
  for (let i = 0; i < teams; i++) out.push({ index: out.length, parentIndex: 1 + divisions + (i % middles), depth: 3, code: `L-T${i + 1}`, size: 0 });

  // Everyone but a small staff at each level above the teams works in a team.
  const weights = out.map((d, i) => (d.depth === 3 ? 1 / Math.pow(1 + ((i * 7919) % teams), 0.8) : d.depth === 0 ? 0.6 : 0.25));
  const total = weights.reduce((a, b) => a + b, 0);
  const minimum = 2;
  const spare = employees - minimum * out.length;
  if (spare < 0) throw new RangeError("too few employees for the departments");
  let given = 0;
  for (const [i, d] of out.entries()) {
    d.size = minimum + Math.floor((spare * weights[i]) / total);
    given += d.size;
  }
  // Rounding leftovers go to the largest teams, one each.
  const byWeight = out.map((_, i) => i).sort((a, b) => weights[b] - weights[a]);
  for (let k = 0; given < employees; k++, given++) out[byWeight[k % byWeight.length]].size++;
  return out;
}

/** Employee ids, numbers and e-mails are derived from their position so every step can refer to them. */
export const ids = {
  department: (i: number) => `lgdept${String(i).padStart(6, "0")}`,
  employee: (i: number) => `lgemp${String(i).padStart(7, "0")}`,
  account: (i: number) => `lgacct${String(i).padStart(6, "0")}`,
};
