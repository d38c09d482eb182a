#!/usr/bin/env bash
# The whole test suite (`npm test`, and so `bash .ci/run`): lint, typecheck, Vitest, production build,
# Playwright. Every stage runs even when an earlier one failed, so one failure never hides another;
# the end-to-end tests need the build, so without one they are reported as not run (and failed).
# Ends with a table of stage, result and seconds, and exits non-zero when any stage did not pass.
# Lint and typecheck are independent and mostly single-threaded: they run side by side.
set -uo pipefail
cd "$(dirname "$0")/.."

names=()
results=()
seconds=()
record() { names+=("$1"); results+=("$2"); seconds+=("$3"); }
now() { date +%s; }

stage() { # stage NAME COMMAND...: runs it in the foreground, output as it comes
  local name=$1 t0 result
  shift
  printf '\n== %s: %s\n' "$name" "$*"
  t0=$(now)
  if "$@"; then result=passed; else result=failed; fi
  record "$name" "$result" $(($(now) - t0))
  printf '== %s %s\n' "$name" "$result"
}

started=$(now)
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

# lint and typecheck side by side; each one's output is printed whole, one after the other.
for name in lint typecheck; do
  (
    t0=$(now)
    npm run --silent "$name" >"$logs/$name.log" 2>&1
    echo "$? $(($(now) - t0))" >"$logs/$name.rc"
  ) &
done
wait
for name in lint typecheck; do
  printf '\n== %s: npm run %s (beside %s)\n' "$name" "$name" "$([ "$name" = lint ] && echo typecheck || echo lint)"
  cat "$logs/$name.log"
  read -r rc secs <"$logs/$name.rc"
  result=$([ "$rc" = 0 ] && echo passed || echo failed)
  record "$name" "$result" "$secs"
  printf '== %s %s\n' "$name" "$result"
done

# The production build runs beside the unit tests: they mostly wait on PostgreSQL, the build mostly
# computes, so the two together take about the unit stage's time instead of both end to end. The
# Prisma client is generated first, once (`npm run build` would generate it again while Vitest is
# importing it). The typecheck stage above checked the same tree, route types included: the build
# need not again (next.config.ts); it runs even when that stage failed, so the later stages report.
node scripts/generate.mjs >"$logs/generate.log" 2>&1 || cat "$logs/generate.log"
(
  t0=$(now)
  WEGOVERN_TYPES_CHECKED=1 npx next build >"$logs/build.log" 2>&1
  echo "$? $(($(now) - t0))" >"$logs/build.rc"
) &
build_pid=$!
stage unit npm run --silent test:unit
wait "$build_pid"
printf '\n== build: next build (beside unit)\n'
cat "$logs/build.log"
read -r rc secs <"$logs/build.rc"
result=$([ "$rc" = 0 ] && echo passed || echo failed)
record build "$result" "$secs"
printf '== build %s\n' "$result"

if [ "${results[${#results[@]} - 1]}" = passed ]; then
  # test:e2e builds first; the build above is the one to test.
  stage e2e npx playwright test
else
  printf '\n== e2e: not run, it needs the production build, which failed\n'
  record e2e "not run (failed)" 0
fi

failed=0
printf '\n== summary\n%-10s %-17s %8s\n' stage result seconds
for i in "${!names[@]}"; do
  printf '%-10s %-17s %8s\n' "${names[$i]}" "${results[$i]}" "${seconds[$i]}"
  [ "${results[$i]}" = passed ] || failed=$((failed + 1))
done
printf '%-10s %-17s %8s\n' total "$([ "$failed" = 0 ] && echo passed || echo "$failed failed")" $(($(now) - started))
[ "$failed" = 0 ]
