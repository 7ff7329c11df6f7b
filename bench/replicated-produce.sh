#!/usr/bin/env bash
# Replicated produce against ANY Kafka-protocol cluster of at least three brokers: a fresh topic with 6 partitions,
# replication factor 3 and min.insync.replicas=2 (TopicCommand --bootstrap-server; the script checks in the topic's
# description that every partition got three replicas and the config was kept), then Kafka's own
# ProducerPerformance with acks=all: 500,000 x 1 KiB records, unthrottled, linger.ms=5 batch.size=65536 (as
# ../shared/bench/kafka-perf.sh). Each run creates a new topic and leaves it (stopping the cluster wipes it).
#
# Usage: bench/replicated-produce.sh BOOTSTRAP [LABEL]      e.g. bench/replicated-produce.sh 127.0.0.1:39092 kafka
#   env: SCALE (1.0: multiplies the record count; 0.05 for a smoke run), SHARED_BENCH (../shared/bench beside the
#        checkout), KAFKA_HOME (/tmp/kafka-anchor, jars only), JAVA (java), TOPIC_CONFIG (more topic configs,
#        key=value[,key=value]; e.g. flush.messages=9223372036854775807 to give Tributary Kafka's no-fsync default)
# Output: "PHASE name start_ms end_ms" (for ../shared/bench/proc-sample.sh + summarize.py) and one
#         "RESULT key=value ..." line in kafka-perf.sh's style: rec_s, MB_s, avg/p50/p95/p99/p99.9/max latency (ms).
set -euo pipefail
BOOT=${1:?usage: bench/replicated-produce.sh BOOTSTRAP [LABEL]}; label=${2:-none}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
shared=${SHARED_BENCH:-$root/../shared/bench}
export KAFKA_HOME=${KAFKA_HOME:-/tmp/kafka-anchor}; JAVA=${JAVA:-java}; SCALE=${SCALE:-1}
partitions=6; replication=3; min_isr=2; size=1024
records=$(awk -v s="$SCALE" 'BEGIN{printf "%d", 500000 * s}')
"$shared/fetch-kafka.sh" >/dev/null
cp="$KAFKA_HOME/lib/*"
# Client JVM flags as bin/kafka-*-perf-test.sh use them (heap 512M, G1); client logging to WARN on stderr only.
jvm() { "$JAVA" -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
        -Dlog4j2.level=WARN -cp "$cp" "$@"; }
ms() { date +%s%3N; }

topic=replicated-${label//[^A-Za-z0-9._-]/_}-$(date +%s)-$$
configs=(--config min.insync.replicas="$min_isr")
IFS=, read -ra extra <<< "${TOPIC_CONFIG:-}"
for c in ${extra[@]+"${extra[@]}"}; do configs+=(--config "$c"); done
jvm org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOT" --create --topic "$topic" \
    --partitions "$partitions" --replication-factor "$replication" "${configs[@]}" >/dev/null
# A broker that accepted the request but placed fewer replicas or dropped the topic config would make this a
# different benchmark: check both in the topic's description.
described=$(jvm org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOT" --describe --topic "$topic")
placed=$(echo "$described" | awk -v r="$replication" \
  '/Partition: /{for (i = 1; i < NF; i++) if ($i == "Replicas:") n += (split($(i+1), a, ",") == r)} END{print n+0}')
[[ $placed -eq $partitions ]] || {
  echo "replicated-produce: $topic has $placed of $partitions partitions with $replication replicas:" >&2
  echo "$described" >&2; exit 1; }
echo "$described" | grep -qE "Configs:.*min\.insync\.replicas=$min_isr(,|\s|$)" || {
  echo "replicated-produce: $topic does not report min.insync.replicas=$min_isr:" >&2; echo "$described" >&2; exit 1; }

s=$(ms)
out=$(jvm org.apache.kafka.tools.ProducerPerformance --bootstrap-server "$BOOT" --topic "$topic" \
      --num-records "$records" --record-size "$size" --throughput -1 \
      --command-property acks=all linger.ms=5 batch.size=65536 | tail -1)
e=$(ms); echo "PHASE produce-replicated $s $e"
# "N records sent, R records/sec (M MB/sec), A ms avg latency, X ms max latency, P50 ms 50th, P95 ms 95th, P99 ms 99th, P999 ms 99.9th."
echo "$out" | sed -E 's/[(),]//g' | awk -v l="$label" -v n="$records" -v sz="$size" -v pa="$partitions" \
    -v rf="$replication" -v mi="$min_isr" -v tc="${TOPIC_CONFIG:-none}" \
  '{printf "RESULT phase=produce-replicated label=%s records=%s size=%s acks=all rate=-1 partitions=%s replication=%s min_isr=%s topic_config=%s rec_s=%s MB_s=%s avg_ms=%s p50_ms=%s p95_ms=%s p99_ms=%s p999_ms=%s max_ms=%s\n",l,n,sz,pa,rf,mi,tc,$4,$6,$8,$16,$19,$22,$25,$12}'
