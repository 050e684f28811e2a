# syntax=docker/dockerfile:1.7
# spotbatch worker, GPU: ONNX Runtime's CUDA build (Maven profile gpu:
# com.microsoft.onnxruntime:onnxruntime_gpu 1.22.0, for CUDA 12 and cuDNN 9) on the CUDA runtime.
# Needs the NVIDIA container runtime on the host (docker run --gpus all; the GPU AMIs have it).
# Build from the repository root:
#   docker build -f docker/worker-gpu.Dockerfile -t spotbatch-worker-gpu:0.1.0 .

# ---- build: the Maven build itself, never in the final image
FROM eclipse-temurin:17.0.13_11-jdk-jammy AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -ntp -q -DskipTests -Pgpu package -pl worker -am \
 && for j in worker/target/spotbatch-worker-*.jar; do \
      if jar tf "$j" | grep -q '^BOOT-INF/'; then cp "$j" /tmp/app.jar; fi; \
    done \
 && test -f /tmp/app.jar \
 && java -Djarmode=tools -jar /tmp/app.jar extract --destination /extracted \
 && java docker/StripNatives.java linux-x64 /extracted/lib

# the JRE, taken from the pinned Temurin image rather than installed
FROM eclipse-temurin:17.0.13_11-jre-jammy AS jre

# ---- run: CUDA 12 + cuDNN 9 runtime libraries (what ONNX Runtime 1.22's CUDA provider loads)
FROM nvidia/cuda:12.6.3-cudnn-runtime-ubuntu22.04
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 spotbatch \
 && useradd --system --uid 10001 --gid spotbatch --home-dir /app --shell /usr/sbin/nologin spotbatch \
 && install -d -o spotbatch -g spotbatch /app /app/cache /app/tmp
COPY --from=jre /opt/java/openjdk /opt/java/openjdk
WORKDIR /app
COPY --from=build /extracted/lib/ /app/lib/
COPY --from=build /extracted/app.jar /app/app.jar
COPY --chmod=0755 docker/entrypoint.sh /app/entrypoint.sh

ENV JAVA_HOME=/opt/java/openjdk \
    PATH=/opt/java/openjdk/bin:$PATH \
    APP_JAR=/app/app.jar \
    JVM_MAX_RAM_PERCENTAGE=50 \
    OPT_OUT_TRACKING=true \
    DJL_CACHE_DIR=/app/cache/djl \
    ENGINE_CACHE_DIR=/app/cache/djl \
    SPOTBATCH_WORKER_MODELCACHEDIR=/app/cache/models \
    SPOTBATCH_WORKER_TEMPDIR=/app/tmp \
    SPOTBATCH_WORKER_DEVICE=auto \
    NVIDIA_VISIBLE_DEVICES=all \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility \
    SERVER_PORT=8081
USER 10001:10001
# AppCDS (docs/BENCHMARKS.md, worker start-up): a training run builds the worker's context, loads
# and runs its model once, exits, and leaves the archive of every class it loaded; each container
# then maps it (CDS_ARCHIVE) instead of reading and verifying those classes. It must be made by the
# image's own JVM, hence here. Kafka as the queue because it needs no broker to start (SQS would
# need its endpoint): the SQS client's classes load from the jar as before. The model files it
# extracted are removed (the jar keeps them). A failed training run leaves no archive, and the
# entrypoint then starts without one.
RUN java -XX:ArchiveClassesAtExit=/app/app.jsa -Dspring.context.exit=onRefresh \
      -Dai.djl.offline=true -jar /app/app.jar \
      --spotbatch.queue.type=kafka --spotbatch.queue.kafka.bootstrap-servers=127.0.0.1:9 \
      --spring.cloud.aws.region.static=us-east-1 --spotbatch.worker.id=cds-training \
      --spotbatch.worker.allowed-roots=file:///app/tmp/ --spotbatch.worker.notice.provider=none \
      --spotbatch.worker.device=cpu --server.port=0 > /app/tmp/cds-training.log 2>&1 \
 || { tail -n 40 /app/tmp/cds-training.log; rm -f /app/app.jsa; } ; \
    rm -rf /app/cache/models /app/tmp/cds-training.log
ENV CDS_ARCHIVE=/app/app.jsa
EXPOSE 8081
HEALTHCHECK --interval=15s --timeout=3s --start-period=120s --retries=3 \
  CMD ["curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:8081/actuator/health/liveness"]
ENTRYPOINT ["/app/entrypoint.sh"]
