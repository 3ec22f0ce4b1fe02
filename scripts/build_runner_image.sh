#!/usr/bin/env bash
# Build the runner image (Freqtrade + the gentrade launcher) with no image registry at all:
#   debootstrap'ed Debian bookworm  ->  docker import             (gentrade-runner-base:<hash>)
#   + wheels fetched on this host    ->  pip install --no-index    (gentrade-runner-deps:<hash>)
#   + our own wheel, non-root user   ->  ${GENTRADE_RUNNER_IMAGE:-gentrade-runner:2026.9}
# Users with a registry can build docker/runner/Dockerfile instead; both run the same launcher.
#
# Debs, wheels and the root filesystem are cached in $GENTRADE_RUNNER_CACHE (~/.cache/gentrade-runner),
# and each stage is tagged by a hash of what went into it, so a re-run only redoes what changed; with
# nothing changed it checks one label and exits. Needs root (debootstrap), docker, and a host Python 3.11
# (the wheels it downloads are the ones that Python would install, so they match bookworm's python3.11).
set -euo pipefail
cd "$(dirname "$0")/.."

IMAGE=${GENTRADE_RUNNER_IMAGE:-gentrade-runner:2026.9}
CACHE=${GENTRADE_RUNNER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gentrade-runner}
PYTHON=${PYTHON:-python3.11}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
FREQTRADE="freqtrade[hyperopt]==2026.9"
TA="ta>=0.11" # the indicator library (not TA-Lib) that the `freqtrade` extra adds for strategies
DEBS=python3,python3-venv,ca-certificates,libgomp1
RUNNER_UID=1000 # the same uid as ftuser in freqtradeorg/freqtrade, so both images own files alike
VENV=/opt/gentrade
LABEL=gentrade.runner.content

say() { echo "build_runner_image: $*" >&2; }
digest() { sha256sum | cut -c1-16; }
has_image() { docker image inspect "$1" >/dev/null 2>&1; }

# Only the image's inputs: its recipe, the pinned versions and our sources (no caches, no tests).
constraints() {
  if [ -x .venv/bin/python ]; then # the versions the local runtime is tested with
    .venv/bin/python -m pip freeze --exclude-editable 2>/dev/null || .venv/bin/uv pip freeze \
      --python .venv/bin/python --exclude-editable
  fi | grep -v -e '^-e ' -e ' @ ' -e '^gentrade==' || true
}
CONSTRAINTS=$(constraints)
BASE_HASH=$(echo "$DEBS $MIRROR" | digest)
DEPS_HASH=$( { echo "$BASE_HASH $FREQTRADE $TA $RUNNER_UID"; echo "$CONSTRAINTS"; } | digest)
CONTENT_HASH=$( {
  echo "$DEPS_HASH"
  sha256sum scripts/build_runner_image.sh pyproject.toml README.md
  find src -type f ! -path '*/__pycache__/*' ! -name '*.pyc' -print0 | sort -z | xargs -0 sha256sum 2>/dev/null || true # files may vanish meanwhile
} | digest)
BASE=gentrade-runner-base:$BASE_HASH
DEPS=gentrade-runner-deps:$DEPS_HASH

if [ "$(docker image inspect -f "{{ index .Config.Labels \"$LABEL\" }}" "$IMAGE" 2>/dev/null)" = "$CONTENT_HASH" ]; then
  say "$IMAGE is up to date ($CONTENT_HASH)"
  exit 0
fi
mkdir -p "$CACHE/debs" "$CACHE/wheels"
WORK=$(mktemp -d "$CACHE/work.XXXXXX")
BUILDER=gentrade-runner-build-$$
trap 'rm -rf "$WORK"; docker rm -f "$BUILDER" >/dev/null 2>&1 || true' EXIT

if ! has_image "$BASE"; then
  ROOTFS_TAR="$CACHE/rootfs-bookworm-$BASE_HASH.tar"
  if [ ! -f "$ROOTFS_TAR" ]; then
    if ! command -v debootstrap >/dev/null; then # a fresh Debian/Ubuntu host lacks it
      command -v apt-get >/dev/null || { say "debootstrap is missing and there is no apt-get to install it"; exit 1; }
      say "installing debootstrap"
      { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap; } >"$WORK/apt.log" 2>&1 \
        || { tail -20 "$WORK/apt.log" >&2; exit 1; }
    fi
    say "debootstrap bookworm ($DEBS)"
    debootstrap --variant=minbase --include="$DEBS" --cache-dir="$CACHE/debs" bookworm "$WORK/rootfs" "$MIRROR" \
      >"$WORK/debootstrap.log" 2>&1 || { tail -30 "$WORK/debootstrap.log" >&2; exit 1; }
    rm -rf "$WORK/rootfs"/var/lib/apt/lists/* "$WORK/rootfs"/usr/share/{doc,man,info}/*
    tar -C "$WORK/rootfs" --numeric-owner -cf "$ROOTFS_TAR.tmp" . && mv "$ROOTFS_TAR.tmp" "$ROOTFS_TAR"
    rm -rf "$WORK/rootfs"
  fi
  say "docker import -> $BASE"
  docker import --change 'CMD ["/bin/bash"]' "$ROOTFS_TAR" "$BASE" >/dev/null
fi

if ! has_image "$DEPS"; then
  say "pip download $FREQTRADE $TA (cp311 wheels; sdist-only packages built into wheels here)"
  echo "$CONSTRAINTS" >"$WORK/constraints.txt"
  "$PYTHON" -c 'import sys; assert sys.version_info[:2] == (3, 11), "need a host Python 3.11: set PYTHON"'
  {
    "$PYTHON" -m pip download --prefer-binary -c "$WORK/constraints.txt" -d "$CACHE/wheels" "$FREQTRADE" "$TA"
    for sdist in "$CACHE"/wheels/*.tar.gz "$CACHE"/wheels/*.zip; do
      [ -e "$sdist" ] || continue
      "$PYTHON" -m pip wheel --no-deps -w "$CACHE/wheels" "$sdist" && rm "$sdist"
    done
  } >"$WORK/pip.log" 2>&1 || { tail -30 "$WORK/pip.log" >&2; exit 1; }
  say "install into $VENV -> $DEPS"
  docker run --name "$BUILDER" --network none \
    -v "$CACHE/wheels:/wheels:ro" -v "$WORK/constraints.txt:/constraints.txt:ro" "$BASE" sh -euc "
      useradd --uid $RUNNER_UID --user-group --create-home --shell /usr/sbin/nologin gentrade
      python3 -m venv $VENV
      $VENV/bin/pip install -q --no-index --find-links /wheels -c /constraints.txt '$FREQTRADE' '$TA'
      $VENV/bin/pip check
      $VENV/bin/python -m compileall -q -j 0 $VENV/lib/python3.11/site-packages
      rm -rf /root/.cache"
  docker commit "$BUILDER" "$DEPS" >/dev/null
  docker rm "$BUILDER" >/dev/null
fi

say "build the gentrade wheel"
if [ -x .venv/bin/uv ]; then
  .venv/bin/uv build -q --wheel --out-dir "$WORK/dist" .
else
  "$PYTHON" -m pip wheel -q --no-deps -w "$WORK/dist" .
fi
say "install it -> $IMAGE"
previous=$(docker image inspect -f '{{.Id}}' "$IMAGE" 2>/dev/null || true)
docker run --name "$BUILDER" --network none -v "$WORK/dist:/dist:ro" "$DEPS" sh -euc "
  $VENV/bin/pip install -q --no-index --no-deps /dist/gentrade-*.whl
  $VENV/bin/python -m compileall -q $VENV/lib/python3.11/site-packages/gentrade_*"
candidate=$(docker commit \
  --change "USER $RUNNER_UID:$RUNNER_UID" \
  --change "WORKDIR /job" \
  --change "ENV PATH=$VENV/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  --change "ENV HOME=/home/gentrade PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1" \
  --change "LABEL $LABEL=$CONTENT_HASH" \
  --change 'ENTRYPOINT ["python", "-m", "freqtrade"]' \
  --change 'CMD ["--version"]' \
  "$BUILDER")
docker rm "$BUILDER" >/dev/null

say "smoke test: the launcher starts as $RUNNER_UID with no network and a read-only root"
docker run --rm --network none --read-only --entrypoint python "$candidate" \
  -m gentrade_adapters.freqtrade.launcher -- --version
docker tag "$candidate" "$IMAGE" # only now: a tagged image with this label is a good one
if [ -n "$previous" ]; then docker image rm "$previous" >/dev/null 2>&1 || true; fi # unless still in use
say "built $IMAGE ($CONTENT_HASH)"
