FROM python:3.12-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY requirements.lock .
RUN pip install --no-cache-dir -r requirements.lock
COPY . .
RUN DEBUG=false SECRET_KEY=collectstatic-only python manage.py collectstatic --no-input
EXPOSE 8000
# gunicorn kills a request after 30 s; the database gives up sooner (DATABASE_STATEMENT_TIMEOUT, 20 s).
CMD ["gunicorn", "jinan_targets.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "30"]
