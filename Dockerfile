# One image for web, worker, beat and the one-shot migrate service. Front-end assets come from
# the pinned npm packages.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=send_cms.settings.production
# WeasyPrint needs Pango; fonts for PDFs.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# The locked dependency tree, with hashes, in a layer of its own: a change to the code does not
# reinstall it.
COPY requirements.lock ./
RUN pip install --require-hashes --no-deps -r requirements.lock
# The code, once. It is installed where it lies (editable: no second copy in site-packages),
# which records the release the SEN2 return names; its dependencies are already in place.
COPY . .
RUN pip install --no-deps -e . && pip check
COPY --from=assets /app/node_modules ./node_modules
# collectstatic needs settings to load; these throwaway values never reach a running container.
RUN SECRET_KEY=build-only-not-secret DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    REDIS_URL=redis://build:6379/0 ALLOWED_HOSTS=build \
    python manage.py collectstatic --noinput
RUN useradd --system --uid 1000 app && mkdir -p /app/media && chown app /app/media
USER app
EXPOSE 8000
# Migrations are not run here: one deploy runs them once (docker-compose.yml's `migrate`
# service), before any web, worker or beat container starts.
# gunicorn reads its number of workers from WEB_CONCURRENCY: about 2 a core (README).
ENV WEB_CONCURRENCY=4
CMD ["gunicorn", "send_cms.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
