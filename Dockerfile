# Production image: gunicorn as an unprivileged user. Configuration comes from the environment
# (SECRET_KEY, PUBLIC_BASE_URL, DATABASE_URL, RATELIMIT_STORAGE_URI, CERTIFICATE_KEY_PEM, MAIL_*); see README.md.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    ENV=production \
    FLASK_APP=app

WORKDIR /app
# Chinese, Japanese and Korean names on certificates (CERTIFICATE_CJK_FONT, lumos_learn/certificates/pdf_fonts.py).
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-wqy-microhei \
    && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY . .
RUN pybabel compile -d translations \
    && useradd --create-home --uid 10001 lumos \
    && mkdir -p /app/instance \
    && chown -R lumos:lumos /app/instance

USER lumos
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"
# Run `flask db upgrade` once per release (e.g. as a one-off container) before starting new instances.
CMD ["gunicorn", "--workers", "2", "--bind", "0.0.0.0:8000", "--access-logfile", "-", "--forwarded-allow-ips", "*", "app:app"]
