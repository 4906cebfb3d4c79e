#!/usr/bin/env bash
# The benchmark suite. Installs what it needs (scripts/setup.sh: Janus, iproute2, ...), builds in Release, then:
#   scripts/bench.sh                 the load tool's full ramp against the bare reflector, MediaRelay and Janus
#                                    (report, steps and PNG plots in bench/results/<UTC time>/)
#   scripts/bench.sh guard           the short CI guard (ratios, flat GC count; never absolute times)
#   scripts/bench.sh record          the recording proof: 6 rooms x 20 s with AutoRecord on; packets recorded ==
#                                    packets sent per stream (exit 1 if not); then the forwarding cost of recording,
#                                    windows alternately without and with it (--rooms N --seconds S --drain S
#                                    --compare-windows N (0 skips) --compare-seconds S --keep; report in bench/results/)
#   scripts/bench.sh micro [filter]  the BenchmarkDotNet hot-path benchmarks (ShortRun, memory diagnoser)
# Extra arguments go to the load tool, e.g. `scripts/bench.sh run --targets mediarelay --max-rooms 40`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$MEDIARELAY_ROOT"

"$MEDIARELAY_ROOT/scripts/setup.sh"
log "dotnet build $(basename "$MEDIARELAY_SOLUTION") -c Release"
dotnet build "$MEDIARELAY_SOLUTION" -c Release --nologo -v q

command="${1:-run}"
[[ $# -gt 0 ]] && shift
case "$command" in
  micro)
    filter="${1:-*}"
    exec dotnet run -c Release --no-build --project bench/MediaRelay.Benchmarks -- --filter "$filter" --job short
    ;;
  run|guard|record)
    if (( $(nproc) < 2 )); then
      echo "error: the load tool needs 2 cores (server and generator pinned apart); this machine has $(nproc)" >&2
      exit 1
    fi
    exec unshare -rn "$MEDIARELAY_ROOT/scripts/load-netns.sh" "$command" "$@"
    ;;
  *)
    echo "usage: scripts/bench.sh [run|guard|record|micro] [options]" >&2
    exit 2
    ;;
esac
