# flowsync worker image: slim Python, non-root, the scheduled worker as entry point.
#   docker build -t flowsync .
#   docker run -v $PWD/flowsync.toml:/config/flowsync.toml:ro \
#     -v $PWD/service-account.json:/config/sa.json:ro \
#     -e GOOGLE_APPLICATION_CREDENTIALS=/config/sa.json flowsync
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    FLOWSYNC_CONFIG=/config/flowsync.toml

WORKDIR /app
COPY pyproject.toml README.md ./
COPY sync ./sync
RUN pip install . && useradd --create-home --uid 10001 flowsync \
    && mkdir -p /state && chown flowsync /state

USER flowsync
WORKDIR /state
EXPOSE 9108
# SIGTERM finishes the team in hand and exits 0; give it the retry budget to do so.
STOPSIGNAL SIGTERM
ENTRYPOINT ["flowsync"]
CMD ["worker", "--metrics-port", "9108"]
