# syntax=docker/dockerfile:1
#
# MediaRelay server image.
#   docker build -t mediarelay .
#   docker run --rm -p 8080:8080/tcp -p 40000:40000/udp mediarelay
#
# .NET 10 ships no Debian images (mcr.microsoft.com/dotnet/aspnet:10.0 is Ubuntu 24.04), but the project is built
# and tested on Debian 12 and loads Debian's native libraries (libcrypto.so.3 now; libopus and FFmpeg 5.1 with the
# SIP and recording work). So the SDK image publishes a self-contained server and the runtime stage is Debian 12.

ARG DEBIAN_IMAGE=debian:bookworm-slim

# ---- build: publish the server, self-contained for the target architecture ---------------------------------------
FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG TARGETARCH
WORKDIR /src
COPY . .
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages \
    dotnet publish src/MediaRelay.Server/MediaRelay.Server.csproj \
        -c Release -a "$TARGETARCH" --self-contained true \
        -p:DebugType=none -o /app

# ---- native: the C shim over FFmpeg (only once native/build.sh exists), built against Debian 12's FFmpeg 5.1 -----
FROM ${DEBIAN_IMAGE} AS native
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        gcc libc6-dev make pkg-config libavformat-dev libavcodec-dev libavutil-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN mkdir -p /out \
 && if [ -f native/build.sh ]; then \
        bash native/build.sh \
        && find native/build -name '*.so*' -exec cp -a {} /out/ \; ; \
    fi

# ---- runtime: Debian 12 with the media libraries the server loads through P/Invoke ----------------------------
FROM ${DEBIAN_IMAGE} AS runtime
# openssl: libcrypto.so.3 for .NET's crypto and the native SRTP backend (EVP through P/Invoke).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        openssl ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 1654 --user-group --home-dir /app --shell /usr/sbin/nologin app \
 && mkdir -p /data \
 && chown app:app /data
WORKDIR /app
COPY --from=build /app ./
COPY --from=native /out/ ./
# Plain (unprefixed) variables override appsettings.json, which binds loopback for local development. Set
# MediaRelay__Media__AnnouncedAddress to the address browsers reach the host's UDP 40000 at.
ENV Urls=http://0.0.0.0:8080 \
    MediaRelay__Media__BindAddress=0.0.0.0 \
    MediaRelay__DataDirectory=/data \
    DOTNET_gcServer=0
USER app
# HTTP (signaling WebSocket, REST, consultation page, /metrics, /healthz) and the single UDP media port.
EXPOSE 8080/tcp
EXPOSE 40000/udp
ENTRYPOINT ["/app/MediaRelay.Server"]
