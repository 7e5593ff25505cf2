# syntax=docker/dockerfile:1
# Multi-stage build: dependencies in their own cached layer, the app runs as a non-root user,
# and the Telegram token comes only from the environment (never baked into the image).

FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
# 1) Dependencies only: this layer is rebuilt only when pyproject.toml changes.
COPY pyproject.toml README.md ./
RUN mkdir -p bot analysis content storage \
    && touch bot/__init__.py analysis/__init__.py content/__init__.py storage/__init__.py \
    && pip install . \
    && pip uninstall -y gutbot
# 2) The application itself.
COPY bot ./bot
COPY analysis ./analysis
COPY content ./content
COPY storage ./storage
RUN pip install --no-deps .

FROM python:3.11-slim AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    MPLCONFIGDIR=/tmp/matplotlib
RUN groupadd --system gutbot && useradd --system --gid gutbot --home-dir /app gutbot \
    && mkdir -p /app/data && chown -R gutbot:gutbot /app
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
USER gutbot
# The int8 embedding model is derived once from the packaged one (content/embedding_model.py);
# doing it here keeps it out of every worker's start-up.
ENV GUTBOT_MODEL_CACHE=/app/models
RUN gutbot prepare-model
# DATABASE_URL defaults to an SQLite file in /app/data; mount a volume there to keep it.
VOLUME ["/app/data"]
CMD ["gutbot", "run"]
