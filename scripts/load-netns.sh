#!/usr/bin/env bash
# Runs the load tool inside a private user + network namespace (start it as `unshare -rn scripts/load-netns.sh ARGS`).
# Why: Janus never gathers ICE candidates on a loopback interface, so the namespace gets a veth pair whose end
# jveth0 carries 127.0.0.2/32; Janus announces that address, and every packet of every target still stays on this
# machine's loopback path. MediaRelay and the reflector use 127.0.0.1 in the same namespace, so all three targets
# see the same kernel. The generator runs on CPU 1; the tool pins each server to CPU 0 (taskset).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ip link set lo up
ip link add jveth0 type veth peer name jveth1
ip addr add 127.0.0.2/32 dev jveth0
ip link set jveth0 up
ip link set jveth1 up

generator_cpus="${MEDIARELAY_GENERATOR_CPUS:-1}"
exec taskset -c "$generator_cpus" dotnet "$MEDIARELAY_ROOT/bench/MediaRelay.LoadTest/bin/Release/net10.0/MediaRelay.LoadTest.dll" "$@"
