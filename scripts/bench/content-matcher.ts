import { performance } from "node:perf_hooks";
import { DEFAULT_EXEMPTIONS, DEFAULT_RULES, splitTerm } from "../../lib/content/default-rules";
import { compileMatcher } from "../../lib/content/matcher";
import { CORPUS } from "../../tests/content/corpus";

// "A 20,000-character article is checked in under 100 ms." Builds an article of the corpus's
// marketing copy (about one finding every 40 characters: far denser than real copy), then times
// compiling the default rule lists and matching, over several runs, and prints the figures.

const LENGTH = Number(process.env.BENCH_CHARS ?? 20_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const BUDGET_MS = 100;

const pieces = CORPUS.map((s) => s.text);
let article = "";
for (let i = 0; article.length < LENGTH; i++) article += pieces[i % pieces.length] + (i % 5 === 4 ? "\n\n" : "");
article = article.slice(0, LENGTH);

const rules = {
  terms: DEFAULT_RULES.flatMap((r) => r.terms.map((raw) => ({ rule: r.code, ...splitTerm(raw) }))),
  exemptions: DEFAULT_EXEMPTIONS.map((e) => e.phrase),
};

const times: number[] = [];
let hits = 0;
for (let run = 0; run < RUNS; run++) {
  const t0 = performance.now();
  const matcher = compileMatcher(rules);
  hits = matcher.match(article).length;
  times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
const worst = times[times.length - 1];
console.log(`content matcher: ${article.length} characters, ${rules.terms.length} terms, ${rules.exemptions.length} exemptions, ${hits} findings`);
console.log(`  compile + match, ${RUNS} runs: fastest ${times[0].toFixed(2)} ms, median ${median.toFixed(2)} ms, slowest ${worst.toFixed(2)} ms (budget ${BUDGET_MS} ms)`);
console.log(`  ${worst < BUDGET_MS ? "within" : "OVER"} budget`);
