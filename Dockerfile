FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md requirements.lock ./
COPY schemas schemas
COPY agents agents
COPY streams streams
COPY seeds seeds
# the runtime dependencies at the versions the tests ran with (the lock also pins the dev tools: not installed)
RUN pip install --no-cache-dir -c requirements.lock .
ENV PYTHONUNBUFFERED=1
CMD ["contraflow", "worker"]
