FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY schemas schemas
COPY agents agents
COPY streams streams
COPY seeds seeds
RUN pip install --no-cache-dir .
ENV PYTHONUNBUFFERED=1
CMD ["contraflow", "worker"]
