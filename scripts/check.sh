#!/usr/bin/env bash
# `npm run check`, what CI runs after scripts/setup.sh: the static checks and the build, then the test suite.
#
#   bash scripts/check.sh
#
# typecheck, lint, format:check and build read the same sources and write nothing the others read (build
# writes dist/, which the other three ignore), so they run at once: on the 2-core CI machine each is mostly
# one busy thread, and one after another they took about two minutes. Each one's output is printed whole,
# in this order, once they are all done. The tests run only when all four passed: vitest runs on dist/'s
# compiled hosts, and a tree that does not type-check or lint would not land anyway.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

steps=(typecheck lint format:check build)
logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT

pids=()
for step in "${steps[@]}"; do
  npm run "$step" >"$logs/${step//:/-}.log" 2>&1 &
  pids+=("$!")
done

failed=()
for i in "${!steps[@]}"; do
  step="${steps[$i]}"
  if wait "${pids[$i]}"; then
    result=passed
  else
    result=FAILED
    failed+=("$step")
  fi
  printf '\n== npm run %s: %s\n' "$step" "$result"
  cat "$logs/${step//:/-}.log"
done
if ((${#failed[@]} > 0)); then
  printf '\ncheck: %s failed; the tests were not run\n' "${failed[*]}" >&2
  exit 1
fi
npx vitest run
