# The application image: web (gunicorn, the default command), Celery worker and beat.
# docker-compose.yml runs it three times with different commands; see docs/operations.md.
FROM python:3.11-slim

# The code runs from /app (templates/, static/ and locale/ sit next to it); the installed
# package provides the dependencies. Writable state lives under /data (named volumes).
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    ISMS_VAR_DIR=/data/var \
    MEDIA_ROOT=/data/media \
    STATIC_ROOT=/app/staticfiles

# WeasyPrint (the incident report and the emergency kit as PDF) needs Pango and HarfBuzz, and
# Japanese text needs the Noto CJK fonts (docs/operations.md, "Reports and the emergency kit").
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --shell /usr/sbin/nologin app

WORKDIR /app
COPY . .
RUN pip install . \
    && mkdir -p /data/var /data/media /data/anchors \
    && chown -R app:app /data

# Translations and static files are baked into the image. The throwaway keys exist only for
# these two build commands: the settings refuse to load without keys when debug is off.
RUN DJANGO_SECRET_KEY=build-only-not-used-at-runtime TIMELINE_HMAC_KEYS=build:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA \
    ISMS_VAR_DIR=/tmp/build-var python manage.py compiletranslations \
    && DJANGO_SECRET_KEY=build-only-not-used-at-runtime TIMELINE_HMAC_KEYS=build:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA \
    ISMS_VAR_DIR=/tmp/build-var python manage.py collectstatic --noinput -v0 \
    && rm -rf /tmp/build-var

USER app
EXPOSE 8000
CMD ["gunicorn", "isms_csirt.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--threads", "4", "--access-logfile", "-"]
