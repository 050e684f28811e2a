# syntax=docker/dockerfile:1.7
# spotbatch dispatcher. Build from the repository root:
#   docker build -f docker/dispatcher.Dockerfile -t spotbatch-dispatcher:0.1.0 .

# ---- build: the Maven build itself (the wrapper fetches Maven 3.9.11), never in the final image
FROM eclipse-temurin:17.0.13_11-jdk-jammy AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -ntp -q -DskipTests package -pl dispatcher -am \
 && for j in dispatcher/target/spotbatch-dispatcher-*.jar; do \
      if jar tf "$j" | grep -q '^BOOT-INF/'; then cp "$j" /tmp/app.jar; fi; \
    done \
 && test -f /tmp/app.jar \
 && java -Djarmode=tools -jar /tmp/app.jar extract --destination /extracted \
 && java docker/StripNatives.java linux-x64 /extracted/lib

# ---- run: a JRE only, as an unprivileged user
FROM eclipse-temurin:17.0.13_11-jre-jammy
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 spotbatch \
 && useradd --system --uid 10001 --gid spotbatch --home-dir /app --shell /usr/sbin/nologin spotbatch \
 && install -d -o spotbatch -g spotbatch /app /app/data
WORKDIR /app
# dependencies first: the layer is reused while only the application changes
COPY --from=build /extracted/lib/ /app/lib/
COPY --from=build /extracted/app.jar /app/app.jar
COPY --chmod=0755 docker/entrypoint.sh /app/entrypoint.sh

ENV APP_JAR=/app/app.jar \
    JVM_MAX_RAM_PERCENTAGE=75 \
    OPT_OUT_TRACKING=true \
    SPOTBATCH_DATADIR=/app/data \
    SERVER_PORT=8080
USER 10001:10001
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
  CMD ["curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:8080/actuator/health/liveness"]
ENTRYPOINT ["/app/entrypoint.sh"]
