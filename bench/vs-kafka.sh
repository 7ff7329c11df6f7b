#!/usr/bin/env bash
# Side-by-side benchmark: the same workload (../shared/bench/kafka-perf.sh: Kafka's own ProducerPerformance,
# ConsumerPerformance and EndToEndLatency) against Apache Kafka 4.4.0 and against Tributary on Payara Micro
# (bin/tributary start), alternating Kafka / Tributary in each round so both see the same machine, then medians per
# broker and the Tributary/Kafka ratio per metric.
#
# Usage: bench/vs-kafka.sh [ROUNDS=3]
#   env: SCALE (1.0; 0.05 for a smoke run), PARTITIONS (1), SHARED_BENCH (../shared/bench beside the checkout),
#        PERF (the workload: $SHARED_BENCH/kafka-perf.sh; bench/transactional-perf.sh for transactions),
#        TRIBUTARY_PORT (29092), TRIBUTARY_HTTP_PORT (28080), KAFKA_PORT (19092), OUT (a fresh dir under /tmp)
# Output: the raw rounds in $OUT/{kafka,tributary}/round-N.{log,proc,err}, medians per broker (summarize.py) and
#         the ratio table ($OUT/ratios.md).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
shared=${SHARED_BENCH:-$root/../shared/bench}
[[ -x "$shared/kafka-perf.sh" ]] || { echo "vs-kafka: no $shared/kafka-perf.sh (set SHARED_BENCH)" >&2; exit 1; }
perf=${PERF:-$shared/kafka-perf.sh}
rounds=${1:-3}
trib_port=${TRIBUTARY_PORT:-29092}; trib_http=${TRIBUTARY_HTTP_PORT:-28080}
export KAFKA_PORT=${KAFKA_PORT:-19092}
out=${OUT:-$(mktemp -d /tmp/tributary-vs-kafka.XXXXXX)}; mkdir -p "$out/kafka" "$out/tributary"
trib_data=$out/tributary-data; sampler=
source "$root/bench/tributary-process.sh"
# kafka-broker.sh runs Kafka with group.initial.rebalance.delay.ms=0; ConsumerPerformance's rates include the join.
export TRIBUTARY_GROUP_INITIAL_REBALANCE_DELAY_MS=0

cleanup() {
  [[ -n "$sampler" ]] && kill "$sampler" 2>/dev/null
  stop_tributary; "$shared/kafka-broker.sh" stop >/dev/null || true
}
trap cleanup EXIT

# round BROKER N BOOTSTRAP PID: samples the broker process while kafka-perf.sh runs against it
round() {
  local dir=$out/$1
  "$shared/proc-sample.sh" "$4" "$dir/round-$2.proc" & sampler=$!
  "$perf" "$3" 2>"$dir/round-$2.err" | tee "$dir/round-$2.log" | grep RESULT | sed "s/^/$1 /"
  kill "$sampler"; wait "$sampler" 2>/dev/null || true; sampler=
}

"$root/bin/tributary" help >/dev/null
(cd "$root" && mvn -q -DskipTests package) # build once, outside the measured rounds
for r in $(seq 1 "$rounds"); do
  echo "round $r: $(uptime)"
  "$shared/kafka-broker.sh" start >/dev/null
  round kafka "$r" "127.0.0.1:$KAFKA_PORT" "$("$shared/kafka-broker.sh" pid)"
  "$shared/kafka-broker.sh" stop >/dev/null

  rm -rf "$trib_data"
  start_tributary "$trib_data" "$trib_http" "$trib_port" "$out/tributary/server-$r.log"
  round tributary "$r" "127.0.0.1:$trib_port" "$trib_pid"
  stop_tributary
done

for b in kafka tributary; do
  python3 "$shared/summarize.py" "$out/$b" > "$out/$b/summary.txt"
done
python3 "$root/bench/ratios.py" "$out/kafka" "$out/tributary" | tee "$out/ratios.md"
echo "raw results: $out"
