#!/usr/bin/env bash
# Builds native/build/libmediarelay_av.so, the C shim over the system FFmpeg 5.1 (libavformat59, libavcodec59,
# libavutil57) that MediaRelay.Recording loads through P/Invoke. Needs gcc, pkg-config and the libav*-dev headers
# (scripts/setup.sh installs them). Idempotent: does nothing when the library is newer than its sources.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$here/build/libmediarelay_av.so"
sources=("$here"/*.c "$here"/*.h "$here/build.sh")

up_to_date=1
if [[ ! -f "$out" ]]; then
  up_to_date=0
else
  for source in "${sources[@]}"; do
    [[ "$source" -nt "$out" ]] && up_to_date=0
  done
fi
if ((up_to_date)); then
  echo "native: $out is up to date"
  exit 0
fi

packages=(libavformat libavcodec libavutil)
if ! pkg-config --exists "${packages[@]}"; then
  echo "error: pkg-config cannot find ${packages[*]} (apt-get install pkg-config libavformat-dev libavcodec-dev libavutil-dev)" >&2
  exit 1
fi
mkdir -p "$here/build"
# Build into a temporary name and rename, so a library being loaded is never half-written.
gcc -std=c11 -O2 -fPIC -shared -Wall -Wextra -Werror -fvisibility=hidden \
  $(pkg-config --cflags "${packages[@]}") \
  -o "$out.tmp" "$here"/*.c \
  -Wl,--no-undefined -Wl,--as-needed $(pkg-config --libs "${packages[@]}")
mv -f "$out.tmp" "$out"
echo "native: built $out"
