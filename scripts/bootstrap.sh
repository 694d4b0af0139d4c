#!/usr/bin/env bash
# Install what building and testing the site needs, and nothing else: a virtualenv in .venv from
# the pinned requirements.txt, and (unless --no-browser) Debian's Chromium for the browser tests
# plus the JavaScript they inject (axe-core, pinned in tests/package-lock.json, from npm).
# Idempotent: when .venv already matches requirements.txt and Chromium is there, it only checks.
set -euo pipefail
cd "$(dirname "$0")/.."

browser=1
for arg in "$@"; do
  case "$arg" in
    --no-browser) browser=0 ;;
    *) echo "usage: scripts/bootstrap.sh [--no-browser]" >&2; exit 2 ;;
  esac
done

python=${PYTHON:-python3}
if ! "$python" -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] < (3, 13))' 2>/dev/null; then
  echo "error: $python is not Python 3.11 or 3.12 (torch 2.13 and mkdocs-jupyter 0.26 need one of those)." >&2
  echo "       Install one, or point PYTHON at it: PYTHON=python3.11 $0" >&2
  exit 1
fi

if [ -x .venv/Scripts/python.exe ]; then venv_python=.venv/Scripts/python.exe; else venv_python=.venv/bin/python; fi
stamp=.venv/requirements.sha256
want=$("$python" -c 'import hashlib,sys; print(hashlib.sha256(open("requirements.txt","rb").read()).hexdigest())')
if [ ! -x "$venv_python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "bootstrap: installing requirements.txt into .venv" >&2
  [ -x "$venv_python" ] || "$python" -m venv .venv
  [ -x .venv/Scripts/python.exe ] && venv_python=.venv/Scripts/python.exe
  "$venv_python" -m pip install --quiet --disable-pip-version-check -r requirements.txt
  echo "$want" > "$stamp"
fi

if [ "$browser" = 1 ] && ! command -v chromium >/dev/null 2>&1; then
  echo "bootstrap: installing Debian's chromium for the browser tests" >&2
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get install -y -qq chromium >/dev/null 2>&1 || {
    $sudo apt-get update -qq && $sudo apt-get install -y -qq chromium >/dev/null
  }
fi

if [ "$browser" = 1 ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "bootstrap: installing Debian's npm for the accessibility tests" >&2
    sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq npm >/dev/null
  fi
  lock=$("$python" -c 'import hashlib; print(hashlib.sha256(open("tests/package-lock.json","rb").read()).hexdigest())')
  if [ "$(cat tests/node_modules/.lock.sha256 2>/dev/null)" != "$lock" ]; then
    echo "bootstrap: installing tests/package-lock.json (axe-core) with npm ci" >&2
    npm ci --prefix tests --ignore-scripts --no-audit --no-fund --loglevel=error
    echo "$lock" > tests/node_modules/.lock.sha256
  fi
fi
