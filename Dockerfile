# ISE Graph: the GraphQL service, talking to an external Neo4j (see docker-compose.yml).
# Build:  docker build -t isegraph .
# Run:    docker run -e NEO4J_URI=neo4j://host:7687 -e NEO4J_PASSWORD=... -p 127.0.0.1:8000:8000 isegraph
# The console and the offline GraphiQL page, built from the npm packages of console/package-lock.json.
FROM node:20-slim AS console
WORKDIR /build/console
COPY console/package.json console/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY console/ ./
RUN npm run build

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    ISEGRAPH_HOST=0.0.0.0 \
    ISEGRAPH_PORT=8000 \
    ISEGRAPH_ENV=production

WORKDIR /app

COPY pyproject.toml README.md ./
COPY graph_api/ ./graph_api/
COPY --from=console /build/graph_api/console/dist/ ./graph_api/console/dist/
COPY cypher/ ./cypher/
COPY seed/ ./seed/

# Editable install: graph_api/store/statements.py reads the statements from
# the `cypher/` folder beside the package directory, so the package has to be imported from
# /app/graph_api, beside /app/cypher, not from a copy in site-packages.
RUN pip install --no-cache-dir -e . \
    && useradd --system --uid 10001 --user-group --create-home --home-dir /home/isegraph isegraph

# The code stays owned by root and read-only to the service.
USER isegraph

EXPOSE 8000

HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('ISEGRAPH_PORT', '8000') + '/healthz', timeout=4)"]

CMD ["isegraph", "serve"]
