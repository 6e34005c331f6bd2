#!/usr/bin/env bash
# make test-stress: run a command (the test suite) STRESS_RUNS times in a row while stress-ng keeps
# STRESS_CPU workers spinning, to show that no test depends on how fast the machine is. Stops at
# the first failing run; prints how long each run took. Stopped (Ctrl-C, SIGTERM), it stops the
# run and the load with it.
set -euo pipefail

runs="${STRESS_RUNS:-3}"
cpus="${STRESS_CPU:-2}"
if ! command -v stress-ng >/dev/null; then
  echo "ERROR: stress-ng is not installed (Debian: apt-get install stress-ng)" >&2
  exit 1
fi

load="" run=""
stop() {
  for pid in $run $load; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
}
trap stop EXIT
trap 'exit 143' TERM INT HUP

# --timeout bounds the load even if this script is killed before its trap runs.
stress-ng --cpu "$cpus" --timeout "${STRESS_TIMEOUT:-4h}" --quiet &
load=$!

summary=()
status=0
for number in $(seq 1 "$runs"); do
  printf '\n== stress run %d of %d (stress-ng --cpu %s)\n' "$number" "$runs" "$cpus"
  started=$(date +%s)
  # In the background so that a signal to this script is handled at once, not after the run.
  "$@" &
  run=$!
  status=0
  wait "$run" || status=$?
  run=""
  took=$(($(date +%s) - started))
  outcome=$([ "$status" = 0 ] && echo passed || echo "FAILED ($status)")
  summary+=("run $number: $outcome in $((took / 60)) min $((took % 60)) s")
  printf '== %s\n' "${summary[-1]}"
  [ "$status" = 0 ] || break
done
printf '\n== make test-stress, %s runs under stress-ng --cpu %s:\n' "$runs" "$cpus"
printf '   %s\n' "${summary[@]}"
exit "$status"
