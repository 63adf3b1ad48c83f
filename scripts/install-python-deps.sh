#!/usr/bin/env bash
# Install the locked Python packages into the virtual environment, fast.
#
# uv (pinned, with its hashes, in requirements.lock) installs the whole lock in seconds where pip
# takes most of a minute. uv itself is installed first by pip, hash-checked like everything else;
# if that or uv's own install fails (an unusual platform, no wheel), pip installs the lock instead.
# --compile-bytecode (pip does it by default; about 4 s more on a 2-core machine): where Python
# may not write bytecode itself (PYTHONDONTWRITEBYTECODE=1, as on our CI machines), every run
# used to compile each imported library module again (importing what `kop check` needs: 348 ms
# without, 206 ms with the bytecode, by python -X importtime).
# Usage: scripts/install-python-deps.sh <venv python> <lock file>
set -euo pipefail
py="$1"
lock="$2"
bindir="$(dirname "$py")"
uv_req="$(mktemp)"
trap 'rm -f "$uv_req"' EXIT
# the uv entry of the lock: its line and the --hash continuation lines under it
awk '/^uv==/{on=1; print; next} on && /^[[:space:]]+--hash/{print; next} {on=0}' "$lock" > "$uv_req"
if [ -s "$uv_req" ] \
   && "$py" -m pip install --disable-pip-version-check -q --require-hashes -r "$uv_req" \
   && "$bindir/uv" pip install -q --compile-bytecode --python "$py" --require-hashes -r "$lock"; then
  exit 0
fi
echo "uv kunde inte användas; installerar med pip i stället (det tar längre tid)." >&2
exec "$py" -m pip install --disable-pip-version-check -q --require-hashes -r "$lock"
