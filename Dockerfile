# One image for every process: web (uvicorn), worker and beat (celery). See docs/deployment.md.
FROM python:3.11-slim

# The code runs from /app: manage.py, uvicorn and celery all import it from there.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    VAR_DIR=/app/var

WORKDIR /app

# Dependencies first, in their own layer, so that a code change does not reinstall them.
COPY pyproject.toml README.md ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['tool']['shopbot']['no-deps-dependencies']))" \
        > /tmp/requirements.txt \
    && pip install --no-deps -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .
RUN pip install --no-deps .

# BUILD-ONLY placeholder values: the settings refuse to import without these four variables, and
# collectstatic needs the settings. They exist only for this RUN line; nothing connects to them, and
# they are not in the image. The real values come from the environment at run time.
RUN SECRET_KEY=build-only-not-a-secret \
    FIELD_ENCRYPTION_KEY=build-only-not-a-key \
    DATABASE_URL=postgres://build-only@127.0.0.1:1/build-only \
    REDIS_URL=redis://127.0.0.1:1/0 \
    python manage.py collectstatic --noinput -v0

RUN useradd --system --user-group --uid 10001 --no-create-home shopbot
USER shopbot

EXPOSE 8000
CMD ["uvicorn", "botplatform.asgi:application", "--host", "0.0.0.0", "--port", "8000", \
     "--proxy-headers", "--forwarded-allow-ips", "*"]
