// What changed between two revisions: a line diff (longest common subsequence after trimming the
// common head and tail), with a character diff inside a line that was replaced by one line.
// Pure; bounded: when the changed middle is too large for the table, it is shown as all removed
// then all added (still correct, just coarser).

export type DiffPart = { op: "same" | "add" | "del"; text: string };
export type DiffLine = { op: "same" | "add" | "del" | "change"; text: string; parts?: DiffPart[] };

const MAX_CELLS = 2_000_000;

function lcsOps<T>(a: readonly T[], b: readonly T[], eq: (x: T, y: T) => boolean): Array<{ op: "same" | "add" | "del"; a?: T; b?: T }> {
  let head = 0;
  while (head < a.length && head < b.length && eq(a[head], b[head])) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && eq(a[a.length - 1 - tail], b[b.length - 1 - tail])) tail++;
  const am = a.slice(head, a.length - tail);
  const bm = b.slice(head, b.length - tail);
  const ops: Array<{ op: "same" | "add" | "del"; a?: T; b?: T }> = a.slice(0, head).map((x) => ({ op: "same" as const, a: x, b: x }));
  if ((am.length + 1) * (bm.length + 1) > MAX_CELLS) {
    for (const x of am) ops.push({ op: "del", a: x });
    for (const y of bm) ops.push({ op: "add", b: y });
  } else {
    const n = am.length;
    const m = bm.length;
    const w = m + 1;
    const table = new Uint32Array((n + 1) * w);
    for (let i = n - 1; i >= 0; i--)
      for (let j = m - 1; j >= 0; j--) table[i * w + j] = eq(am[i], bm[j]) ? table[(i + 1) * w + j + 1] + 1 : Math.max(table[(i + 1) * w + j], table[i * w + j + 1]);
    let i = 0;
    let j = 0;
    while (i < n && j < m) {
      if (eq(am[i], bm[j])) {
        ops.push({ op: "same", a: am[i], b: bm[j] });
        i++;
        j++;
      } else if (table[(i + 1) * w + j] >= table[i * w + j + 1]) ops.push({ op: "del", a: am[i++] });
      else ops.push({ op: "add", b: bm[j++] });
    }
    while (i < n) ops.push({ op: "del", a: am[i++] });
    while (j < m) ops.push({ op: "add", b: bm[j++] });
  }
  for (const x of a.slice(a.length - tail)) ops.push({ op: "same", a: x, b: x });
  return ops;
}

/** Character diff of two strings (code points), merged into runs. */
export function diffChars(before: string, after: string): DiffPart[] {
  const ops = lcsOps([...before], [...after], (x, y) => x === y);
  const parts: DiffPart[] = [];
  for (const o of ops) {
    const text = (o.op === "add" ? o.b : o.a) as string;
    const last = parts[parts.length - 1];
    if (last && last.op === o.op) last.text += text;
    else parts.push({ op: o.op, text });
  }
  return parts;
}

/** Line diff; a single deleted line followed by a single added line becomes one "change" line
 * with its character diff. */
export function diffLines(before: string, after: string): DiffLine[] {
  const ops = lcsOps(before.split("\n"), after.split("\n"), (x, y) => x === y);
  const lines: DiffLine[] = [];
  for (let k = 0; k < ops.length; k++) {
    const o = ops[k];
    const nextOp = ops[k + 1];
    const prevOp = ops[k - 1];
    const afterNext = ops[k + 2];
    if (o.op === "del" && nextOp?.op === "add" && prevOp?.op !== "del" && afterNext?.op !== "add" && o.a!.length + nextOp.b!.length <= 4000) {
      lines.push({ op: "change", text: nextOp.b!, parts: diffChars(o.a!, nextOp.b!) });
      k++;
      continue;
    }
    lines.push({ op: o.op, text: (o.op === "add" ? o.b : o.a)! });
  }
  return lines;
}
