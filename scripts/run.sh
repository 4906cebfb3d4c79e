#!/usr/bin/env bash
# Builds and runs the MediaRelay server on its embedded defaults; the server prints the link to open.
# Extra arguments go to the server, e.g.: ./scripts/run.sh --urls http://127.0.0.1:8080
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$MEDIARELAY_ROOT"

"$MEDIARELAY_ROOT/scripts/setup.sh"

# Development by default: a loopback visitor of /room/{id}?name=N is given a join token (see README).
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
# Embedded state (signing key, later the SQLite catalog) under ./data of the checkout, whatever dotnet run's
# working directory is.
export MediaRelay__DataDirectory="${MediaRelay__DataDirectory:-$MEDIARELAY_ROOT/data}"
# --no-launch-profile: Properties/launchSettings.json is for IDEs; the server's own defaults apply here.
exec dotnet run -c Release --no-launch-profile --project src/MediaRelay.Server -- "$@"
