#!/usr/bin/env bash
# Installs what the tests need, builds the solution in Release and runs every test project, printing each test's
# result and a final "N passed, N failed, N skipped" line. Exits non-zero when the build or any test fails.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$MEDIARELAY_ROOT"

"$MEDIARELAY_ROOT/scripts/setup.sh"

log "dotnet build $(basename "$MEDIARELAY_SOLUTION") -c Release"
dotnet build "$MEDIARELAY_SOLUTION" -c Release --nologo

output="$(mktemp)"
trap 'rm -f "$output"' EXIT

# Two cores: one test assembly at a time (-maxcpucount:1), so Chromium calls and timing-sensitive tests do not
# fight a neighbouring assembly for CPU; inside an assembly xUnit still runs collections on both cores. A hung
# test host is killed after 10 minutes and named, instead of eating CI's 90-minute budget.
log "dotnet test $(basename "$MEDIARELAY_SOLUTION") -c Release --no-build"
set +e
dotnet test "$MEDIARELAY_SOLUTION" -c Release --no-build --nologo -maxcpucount:1 \
  --logger "console;verbosity=normal" \
  --blame-hang-timeout 10m --blame-hang-dump-type none \
  --results-directory "$MEDIARELAY_ROOT/TestResults" \
  2>&1 | tee "$output"
status=${PIPESTATUS[0]}
set -e

# Allocation budget: every benchmark briefly, in process, bytes per operation against bench/allocation-budget.json
# (0 on the packet path). Times are printed, never judged.
log "allocation budget (bench/allocation-budget.json)"
set +e
dotnet run -c Release --no-build --project "$MEDIARELAY_ROOT/bench/MediaRelay.Benchmarks" -- \
  --check-allocations "$MEDIARELAY_ROOT/bench/allocation-budget.json"
budget_status=$?
set -e
if [[ $budget_status -ne 0 && $status -eq 0 ]]; then
  status=$budget_status
fi

# Load guard: one short fixed load (real ICE/DTLS/SRTP peers) against the bare reflector, MediaRelay and Janus in a
# private network namespace, server and generator on separate cores. It judges ratios and a flat GC count, never
# absolute times (bench/MediaRelay.LoadTest/LoadGuard.cs).
log "load guard (bench/MediaRelay.LoadTest guard)"
set +e
unshare -rn "$MEDIARELAY_ROOT/scripts/load-netns.sh" guard
guard_status=$?
set -e
if [[ $guard_status -ne 0 && $status -eq 0 ]]; then
  status=$guard_status
fi

# Recording proof: two rooms record under load; every stream's packets recorded must equal the packets its
# publisher sent and the subscribers received, nothing dropped (bench/MediaRelay.LoadTest/Recording).
log "recording proof (bench/MediaRelay.LoadTest record)"
set +e
unshare -rn "$MEDIARELAY_ROOT/scripts/load-netns.sh" record --rooms 2 --seconds 8 --compare-windows 0
record_status=$?
set -e
if [[ $record_status -ne 0 && $status -eq 0 ]]; then
  status=$record_status
fi

# Each assembly ends with "Total tests: N" then "Passed: N" / "Failed: N" / "Skipped: N" lines (zeros omitted).
summary="$(awk '
  /^ *Passed: [0-9]+ *$/  { passed  += $2 }
  /^ *Failed: [0-9]+ *$/  { failed  += $2 }
  /^ *Skipped: [0-9]+ *$/ { skipped += $2 }
  END { printf "%d passed, %d failed, %d skipped", passed, failed, skipped }
' "$output")"

# CI shows only the tail of this output: name every failed test and the first lines of its message here, so the
# reason for a red run is never scrolled away.
failures="$(awk '
  /^ *Failed [A-Za-z_]/ { printing = 12; print ""; }
  printing > 0 { print; printing--; }
' "$output")"
if [[ -n "$failures" ]]; then
  echo
  log "failed tests"
  echo "$failures"
fi

echo
if [[ $status -ne 0 ]]; then
  log "dotnet test, the allocation budget, the load guard or the recording proof exited with $status"
fi
echo "$summary"
exit "$status"
