# syntax=docker/dockerfile:1
# The events-api image: built on Debian bookworm from Debian's own -dev packages, run on
# bookworm-slim with only the shared libraries the binary links.
#   docker build -t events-api .            (or: deploy/container/build-image, without a daemon)
#   docker run -e DATABASE_URL=... events-api [serve | migrate | user create --email ADDRESS | keygen]

FROM docker.io/library/debian:bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      cmake ninja-build g++ pkg-config \
      libssl-dev libsodium-dev libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev libboost-context1.81-dev libpq-dev \
      libspdlog-dev prometheus-cpp-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# `events-api --version` names it (.git stays out of the build context).
ARG SOURCE_REVISION=unknown
RUN cmake --preset release -DMARKETING_EVENTS_REVISION="${SOURCE_REVISION}" \
 && cmake --build --preset release --target events-api \
 && install -D --strip build/release/app/events-api /out/events-api

FROM docker.io/library/debian:bookworm-slim AS runtime
# Runtime libraries only: exactly the packages whose shared objects events-api links.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libssl3 libsodium23 libpq5 libboost-json1.81.0 libboost-url1.81.0 libboost-context1.81.0 libspdlog1.10 libfmt9 \
      libprometheus-cpp-core1.0 \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/log/apt /var/log/dpkg.log \
 && useradd --system --uid 10001 --user-group --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin events-api
COPY --from=build /out/events-api /usr/local/bin/events-api
USER 10001:10001
ENV PORT=8080 \
    LOG_FORMAT=json
EXPOSE 8080
# The binary asks its own /healthz (no curl, no shell); /healthz never touches the database.
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD ["/usr/local/bin/events-api", "healthcheck"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/events-api"]
CMD ["serve"]
