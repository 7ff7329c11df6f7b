#!/usr/bin/env bash
# Transactional workload with Apache Kafka's own perf tools against ANY Kafka-protocol broker, in kafka-perf.sh's
# output format (RESULT/PHASE lines), so vs-kafka.sh can run it (PERF=bench/transactional-perf.sh):
#   ProducerPerformance --transactional-id ... --transaction-duration-ms 100 (a commit every 100 ms;
#   idempotent, acks=all), 1,000,000 x 100 B and 300,000 x 1 KiB, linger.ms=5 batch.size=65536, each on a fresh
#   topic and then read back by ConsumerPerformance with isolation.level=read_committed.
# Usage: transactional-perf.sh HOST:PORT      env: PARTITIONS (1), SCALE (1.0), KAFKA_HOME, JAVA, SHARED_BENCH
set -euo pipefail
BOOT=${1:?usage: transactional-perf.sh HOST:PORT}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
shared=${SHARED_BENCH:-$root/../shared/bench}
KAFKA_HOME=${KAFKA_HOME:-/tmp/kafka-anchor}; JAVA=${JAVA:-java}; PARTS=${PARTITIONS:-1}; SCALE=${SCALE:-1}
"$shared/fetch-kafka.sh" >/dev/null
cp="$KAFKA_HOME/lib/*"; tag=$(date +%s)-$$
config=$(mktemp /tmp/read-committed.XXXXXX.properties); trap 'rm -f "$config"' EXIT
echo "isolation.level=read_committed" > "$config"
jvm() { "$JAVA" -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
        -Dlog4j2.level=WARN -cp "$cp" "$@"; }
ms() { date +%s%3N; }
n() { awk -v x="$1" -v s="$SCALE" 'BEGIN{printf "%d", x*s}'; }
# produce NAME N SIZE -> RESULT line as kafka-perf.sh's, then the read_committed read-back
produce() {
  local t=txn-$1-$tag s e out
  jvm org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOT" --create --topic "$t" --partitions "$PARTS" \
      --replication-factor 1 >/dev/null
  s=$(ms)
  out=$(jvm org.apache.kafka.tools.ProducerPerformance --bootstrap-server "$BOOT" --topic "$t" --num-records "$2" \
        --record-size "$3" --throughput -1 --transactional-id "perf-$1-$tag" --transaction-duration-ms 100 \
        --command-property linger.ms=5 batch.size=65536 | grep 'records sent' | tail -1)
  e=$(ms); echo "PHASE produce-$1 $s $e"
  echo "$out" | sed -E 's/[(),]//g' | awk -v p="produce-$1" -v n="$2" -v sz="$3" -v pa="$PARTS" \
    '{printf "RESULT phase=%s records=%s size=%s acks=all rate=-1 partitions=%s rec_s=%s MB_s=%s avg_ms=%s p50_ms=%s p95_ms=%s p99_ms=%s p999_ms=%s max_ms=%s\n",p,n,sz,pa,$4,$6,$8,$16,$19,$22,$25,$12}'
  s=$(ms)
  out=$(jvm org.apache.kafka.tools.ConsumerPerformance --bootstrap-server "$BOOT" --topic "$t" --num-records "$2" \
        --timeout 60000 --group "txn-group-$1-$tag" --consumer.config "$config" --hide-header | tail -1)
  e=$(ms); echo "PHASE consume-$1 $s $e"
  echo "$out" | awk -F', *' -v p="consume-$1" '{printf "RESULT phase=%s records=%s MB=%s rec_s=%s MB_s=%s rebalance_ms=%s fetch_ms=%s fetch_rec_s=%s fetch_MB_s=%s\n",p,$5,$3,$6,$4,$7,$8,$10,$9}'
}
produce txn-100B "$(n 1000000)" 100
produce txn-1KiB "$(n 300000)" 1024
