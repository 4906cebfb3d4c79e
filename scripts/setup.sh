#!/usr/bin/env bash
# Installs what MediaRelay needs to build, run and test on Debian 12 (bookworm), then restores NuGet packages and
# builds the native shim when there is one. Idempotent: apt is only called when a package is missing.
# Needs root or sudo for apt; the .NET 10 SDK is expected to be installed already.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Debian packages, one per line with the reason it is needed.
APT_PACKAGES=(
  chromium          # the real WebRTC peer (libwebrtc) that tests/MediaRelay.Interop.Tests drive with Playwright
  fonts-liberation  # fonts so headless Chromium renders pages and screenshots with real glyphs
  openssl           # libcrypto.so.3 for the native SRTP backend (P/Invoke) and the CLI the DTLS interop tests run
  ffmpeg            # encodes the VP8/Opus RTP the werift interop client (tests/.../Werift) publishes into a room
  janus             # Janus VideoRoom 1.1.2: the load tool (bench/MediaRelay.LoadTest) measures it beside MediaRelay
  iproute2          # ip: the load tool's private network namespace with a veth for Janus's ICE candidate
  util-linux        # unshare (that namespace) and taskset (server and generator on separate cores)
  prometheus        # Prometheus 2.42 and promtool: the ops test scrapes a call and runs every dashboard query (deploy/)
)

# Only when native/build.sh exists: a C toolchain and the FFmpeg headers it compiles the shim against.
NATIVE_BUILD_PACKAGES=(
  gcc               # compiles the shim
  libc6-dev         # C library headers
  make              # in case the build script uses it
  pkg-config        # locates the FFmpeg libraries' flags
  libavformat-dev   # headers for libavformat.so.59 (muxing recordings)
  libavcodec-dev    # headers for libavcodec.so.59
  libavutil-dev     # headers for libavutil.so.57
)

cd "$MEDIARELAY_ROOT"

wanted=("${APT_PACKAGES[@]}")
if [[ -f native/build.sh ]]; then
  wanted+=("${NATIVE_BUILD_PACKAGES[@]}")
fi

missing=()
for package in "${wanted[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$package")
  fi
done

if ((${#missing[@]} > 0)); then
  log "installing Debian packages: ${missing[*]}"
  apt_options=(-y -q -o DPkg::Lock::Timeout=600 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q -o DPkg::Lock::Timeout=600
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install "${apt_options[@]}" "${missing[@]}"
else
  log "Debian packages present: ${wanted[*]}"
fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "error: the .NET 10 SDK (dotnet) is not on PATH" >&2
  exit 1
fi

log "dotnet restore $(basename "$MEDIARELAY_SOLUTION")"
dotnet restore "$MEDIARELAY_SOLUTION" --verbosity quiet

# The werift (npm) interop client; npm ci runs again only when package-lock.json is newer than the installed tree.
[[ tests/MediaRelay.Interop.Tests/Werift/node_modules/.package-lock.json -nt tests/MediaRelay.Interop.Tests/Werift/package-lock.json ]] || npm ci --prefix tests/MediaRelay.Interop.Tests/Werift --no-audit --no-fund

if [[ -f native/build.sh ]]; then
  log "building the native shim (native/build.sh)"
  bash native/build.sh
fi
