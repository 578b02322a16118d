# The image for web (gunicorn), Celery worker and beat; see docker-compose.yml.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    CIRCLE_VAR_DIR=/var/lib/circle

RUN pip install --no-cache-dir uv==0.13.8 \
    && useradd --system --home /app circle \
    && mkdir -p /var/lib/circle && chown circle /var/lib/circle
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project
COPY . .
# Collected with a throw-away key: static files need no secret.
RUN DJANGO_DEBUG=false SECRET_KEY=collectstatic-only-not-a-real-secret-0123456789abcdef \
    python manage.py collectstatic --noinput \
    && chown -R circle /var/lib/circle
USER circle
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
