# One image for every process: web (gunicorn, the default CMD), Celery worker and Celery beat.
# Configuration comes from the environment at run time: see .env.example and docker-compose.yml.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Every process runs as this unprivileged user. It may write to the media directory, beat's
# schedule directory, /tmp and its home (where gunicorn puts its owner-only control socket); the
# rest of /app stays read-only to it.
RUN groupadd --system --gid 1000 wijkaanpak \
 && useradd --system --uid 1000 --gid wijkaanpak --create-home --home-dir /home/wijkaanpak \
        --shell /usr/sbin/nologin wijkaanpak

WORKDIR /app

# Dependencies first, so this layer is rebuilt only when the lock changes: exactly the versions
# requirements.lock pins (the runtime half of what `make install` installs), every file checked
# against its hash. The project itself is not installed: `packages = []`, the code runs from /app.
COPY requirements.lock ./
RUN pip install --no-cache-dir --require-hashes -r requirements.lock \
 && pip check

COPY . .

# Static files are collected into the image (STATIC_ROOT=/app/staticfiles, served by whitenoise).
# The secret key here is a throw-away, build-only value; the real one is given at run time.
RUN DJANGO_SECRET_KEY=build-only-not-secret python manage.py collectstatic --noinput \
 && mkdir -p /app/media /app/beat \
 && chown wijkaanpak:wijkaanpak /app/media /app/beat

USER wijkaanpak
EXPOSE 8000

# Calls /healthz (database, and Redis when configured) on the loopback address: DJANGO_ALLOWED_HOSTS
# must include 127.0.0.1. Exits non-zero on a 503 or no answer.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status == 200 else 1)"]

# No --access-logfile, so gunicorn writes no access log: request lines can carry personal data
# (confirmation keys, search terms). The application's JSON log is the log.
CMD ["gunicorn", "wijkaanpak.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60"]
