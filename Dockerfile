# The GenTrade API and worker image (production stack: see docker-compose.yml, docs/operations.md).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    GENTRADE_DATA_DIR=/var/lib/gentrade GENTRADE_AUTO_MIGRATE=false

WORKDIR /opt/gentrade
COPY pyproject.toml README.md ./
COPY src ./src
# Freqtrade is the engine the local runtime runs; compile bytecode because every job starts a
# fresh interpreter.
RUN pip install ".[app,freqtrade]" \
 && python -m compileall -q "$(python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')" \
 && useradd --system --uid 10001 --home-dir /var/lib/gentrade --create-home gentrade

USER gentrade
EXPOSE 8000
ENTRYPOINT ["gentrade"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
