# Shared by scripts/*.sh (sourced, not run): repository root, solution file, quiet .NET CLI, root helper.
# shellcheck shell=bash

MEDIARELAY_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export MEDIARELAY_ROOT

# The solution (MEDIARELAY_SOLUTION overrides it, e.g. to test one project).
MEDIARELAY_SOLUTION="${MEDIARELAY_SOLUTION:-$MEDIARELAY_ROOT/MediaRelay.sln}"
export MEDIARELAY_SOLUTION

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export NUGET_XMLDOC_MODE=skip
# Playwright for .NET drives the Debian browser (/usr/bin/chromium) through the node it ships inside its NuGet
# package; it never needs a browser download. This also stops any npm 'playwright' install from fetching one.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

if [[ "${CI:-}" == "true" ]]; then
  # Leave no MSBuild nodes or compiler server behind a CI run.
  export MSBUILDDISABLENODEREUSE=1
  export DOTNET_CLI_USE_MSBUILD_SERVER=0
  export UseSharedCompilation=false
fi

log() { printf '[%s] %s\n' "$(basename "$0")" "$*"; }

# Runs a command as root: directly when we are root, through sudo otherwise.
as_root() {
  if [[ "$(id -u)" -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    echo "error: '$*' needs root and sudo is not installed" >&2
    return 1
  fi
}
