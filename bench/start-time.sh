#!/usr/bin/env bash
# Start-up time of `bin/tributary start`: from the command to the first answer of the REST API (200 or 401 from
# GET /api/v1/topics, which needs the broker), then the broker is stopped. One start per call, so that a harness
# (`time`, hyperfine, ...) can repeat it; the data directory is kept, so every call but the first is a restart.
#
# Usage: bench/start-time.sh DATA_DIR [clean|crash] [CHECKOUT]
#   clean (default): stop with SIGTERM, as Ctrl-C does, so that the next call starts after a clean stop
#   crash:           SIGKILL Payara Micro once the API answers, so that the next call recovers the logs
#   CHECKOUT:        the tree whose bin/tributary runs (default: this one), e.g. an export of an older commit
#   env: HTTP_PORT (28180), KAFKA_PORT (29192)
# Output: "ready_ms N" (milliseconds from the command to the API's answer) on stdout; the broker's output in
#         DATA_DIR.log.
set -euo pipefail
data_dir=${1:?usage: start-time.sh DATA_DIR [clean|crash] [CHECKOUT]}
mode=${2:-clean}
checkout=${3:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
http_port=${HTTP_PORT:-28180}
kafka_port=${KAFKA_PORT:-29192}
[[ "$mode" == clean || "$mode" == crash ]] || { echo "start-time: mode is clean or crash, not $mode" >&2; exit 2; }

ms() { date +%s%3N; }

# The status of GET PATH on the broker, or nothing if nothing answers.
status() {
  (
    exec 3<>"/dev/tcp/127.0.0.1/$http_port" || exit 1
    printf 'GET /api/v1/topics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
    read -r -t 10 _ code _ <&3 && echo "$code"
  ) 2>/dev/null || true
}

started=$(ms)
"$checkout/bin/tributary" start --data-dir "$data_dir" --http-port "$http_port" --kafka-port "$kafka_port" \
  >> "$data_dir.log" 2>&1 &
launcher=$!
# Whatever happens, nothing of this start is left running.
trap 'pkill -KILL -P "$launcher" 2>/dev/null; kill -KILL "$launcher" 2>/dev/null || true' EXIT
until [[ "$(status)" =~ ^(200|401)$ ]]; do
  kill -0 "$launcher" 2>/dev/null || { echo "start-time: bin/tributary exited; see $data_dir.log" >&2; exit 1; }
  sleep 0.05
done
echo "ready_ms $(( $(ms) - started ))"
if [[ "$mode" == crash ]]; then
  pkill -KILL -P "$launcher" 2>/dev/null || true   # Payara Micro: bin/tributary's child (or itself, if it exec'd)
  kill -KILL "$launcher" 2>/dev/null || true
else
  kill -TERM "$launcher"
fi
wait "$launcher" 2>/dev/null || true
trap - EXIT
