# The dashboard as one container: `docker build -t dxmap .` then
# `docker run -p 8501:8501 dxmap`. docs/deploy.md covers secrets, volumes and proxies.
FROM python:3.11.13-slim-bookworm

# DXMAP_CACHE_DIR holds the downloaded boundary files and the prepared map layers;
# mount a volume there to keep them across container restarts.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DXMAP_CACHE_DIR=/var/cache/dxmap

# An unprivileged user with a home folder, where Streamlit keeps its own settings.
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --create-home --home-dir /home/app app

WORKDIR /app

# requirements.txt alone first, so a change to the code reuses the installed packages.
# The wheels of pyogrio, pyproj and shapely bundle GDAL and PROJ, so no Debian packages are needed.
COPY requirements.txt ./
RUN pip install --no-compile -r requirements.txt

COPY . .

# The app writes to three places, and only these are owned by the app user:
# data/store/ for the default SQLite database, the cache above, and static/vendor/,
# which the app fills with Leaflet and jQuery at start-up.
RUN mkdir -p data/store static/vendor "$DXMAP_CACHE_DIR" \
    && chown -R app:app data/store static/vendor "$DXMAP_CACHE_DIR"

USER app

EXPOSE 8501

# slim images have no curl; urlopen raises on a refused connection or an HTTP error,
# so any failure exits non-zero. The path moves under server.baseUrlPath when that is set.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=5)"]

CMD ["streamlit", "run", "app.py", "--server.address", "0.0.0.0", "--server.headless", "true"]
