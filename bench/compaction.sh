#!/usr/bin/env bash
# Compaction benchmark, Tributary beside Apache Kafka 4.4.0, in one sitting:
#  A. the log cleaners on the same data: CleanerComparison (ejb-broker test sources) appends the CompactionWorkload
#     (1 GiB of 1 KiB records over 100,000 keys, 5 % tombstones) to a fresh log of each broker's own storage layer and
#     times one cleaning, watching the heap; Kafka's cleaner is kafka-storage 4.4.0's, run in-process the same way.
#     Each run is its own JVM (1 GiB heap, G1, as the anchor broker); Kafka and Tributary alternate in each round.
#  B. produce throughput while the cleaner runs: KeyedProducePerformance writes the same workload with a stock
#     KafkaProducer (acks=all, linger.ms=5, batch.size=65536) into a topic with cleanup.policy=delete, then one with
#     compact (64 MiB segments, so the cleaner works during the run), against Tributary (bin/tributary start) and
#     Kafka (../shared/bench/kafka-broker.sh); rounds alternate the policies.
#
# Usage: bench/compaction.sh [ROUNDS=3]
#   env: SCALE (1.0; 0.1 for a smoke run), PARTS (AB: which parts), SHARED_BENCH (../shared/bench beside the
#        checkout), TRIBUTARY_PORT (29092), TRIBUTARY_HTTP_PORT (28080), KAFKA_PORT (19092), OUT (a fresh dir in /tmp)
# Output: RESULT lines per run in $OUT/cleaners.log and $OUT/produce.log, medians and ratios in $OUT/summary.md.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
shared=${SHARED_BENCH:-$root/../shared/bench}
[[ -x "$shared/kafka-broker.sh" ]] || { echo "compaction: no $shared/kafka-broker.sh (set SHARED_BENCH)" >&2; exit 1; }
rounds=${1:-3}; scale=${SCALE:-1.0}; parts=${PARTS:-AB}
trib_port=${TRIBUTARY_PORT:-29092}; trib_http=${TRIBUTARY_HTTP_PORT:-28080}
export KAFKA_PORT=${KAFKA_PORT:-19092}
out=${OUT:-$(mktemp -d /tmp/tributary-compaction.XXXXXX)}; mkdir -p "$out"
source "$root/bench/tributary-process.sh"
cleanup() { stop_tributary; "$shared/kafka-broker.sh" stop >/dev/null 2>&1 || true; }
trap cleanup EXIT

"$shared/fetch-kafka.sh" >/dev/null
(cd "$root" && mvn -q -o -pl ejb-broker test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test)
cp="$root/ejb-broker/target/test-classes:$root/ejb-broker/target/classes:$(cat "$root/ejb-broker/target/bench-classpath.txt")"
jvm() { java -Xms1g -Xmx1g -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -cp "$cp" "$@"; }  # as the anchor broker
echo "machine: $(nproc) CPUs, $(uptime)" | tee "$out/machine.txt"

# clean CLEANER LABEL [JVM FLAGS]: one CleanerComparison run on fresh data, its RESULT line labelled
clean() {
  local data; data=$(mktemp -d "$out/data.XXXXXX")
  jvm "${@:3}" dev.tributary.broker.log.bench.CleanerComparison "$1" "$data" "$scale" 2>>"$out/cleaners.err" \
    | grep RESULT | sed "s/^RESULT /RESULT $2 /" | tee -a "$out/cleaners.log"
  rm -rf "$data"
}
if [[ $parts == *A* ]]; then
  for r in $(seq 1 "$rounds"); do
    for cleaner in kafka tributary; do clean "$cleaner" "round=$r"; done
  done
  # The heap each cleaning needs: a 16 MiB young generation makes the JVM collect every 16 MiB allocated, so the
  # heap in use after each collection follows what the cleaning holds (peak_live_heap_MB), not its garbage.
  for cleaner in kafka tributary; do clean "$cleaner" "round=heap" -Xmn16m; done
fi

# produce BROKER BOOTSTRAP LOG ROUND: delete then compact (even rounds: compact then delete), cleanings counted
produce() {
  local policies="delete compact"; (( $4 % 2 == 0 )) && policies="compact delete"
  for policy in $policies; do
    local topic="bench-$policy-$4-$$" result cleanings
    result=$(jvm dev.tributary.broker.log.bench.KeyedProducePerformance "$2" "$topic" "$policy" "$scale" \
      2>>"$out/produce.err" | grep RESULT)
    cleanings=$(grep -Ec "cleaned log $topic-0|$topic-0: cleaned" "$3" || true)  # completed cleanings, from the log
    echo "$result" | sed "s/^RESULT /RESULT broker=$1 round=$4 cleanings=$cleanings /" | tee -a "$out/produce.log"
  done
}

if [[ $parts == *B* ]]; then
  (cd "$root" && mvn -q -o -DskipTests package)
  for r in $(seq 1 "$rounds"); do
    "$shared/kafka-broker.sh" start >/dev/null
    produce kafka "127.0.0.1:$KAFKA_PORT" "${KAFKA_HOME:-/tmp/kafka-anchor}/server.log" "$r"
    "$shared/kafka-broker.sh" stop >/dev/null
    rm -rf "$out/tributary-data"
    start_tributary "$out/tributary-data" "$trib_http" "$trib_port" "$out/tributary-$r.log"
    produce tributary "127.0.0.1:$trib_port" "$out/tributary-$r.log" "$r"
    stop_tributary
  done
fi

python3 - "$out" <<'PY' | tee "$out/summary.md"
import re, statistics, sys, os
out = sys.argv[1]
def rows(name):
    path = os.path.join(out, name)
    if not os.path.exists(path): return []
    return [dict(kv.split("=", 1) for kv in line.split()[1:]) for line in open(path) if line.startswith("RESULT")]
med = lambda xs: statistics.median(xs) if xs else float("nan")
cl = rows("cleaners.log")
if cl:
    print("| cleaner | seconds | MB/s | heap in use, peak MB | allocated MB | live heap, peak MB (16 MiB young gen) "
          "| records kept |\n|---|---:|---:|---:|---:|---:|---:|")
    m = {}
    for c in ("kafka", "tributary"):
        r = [x for x in cl if x["cleaner"] == c and x["round"] != "heap"]
        h = [x for x in cl if x["cleaner"] == c and x["round"] == "heap"]
        m[c] = {k: med([float(x[k]) for x in r]) for k in ("seconds", "MB_s", "peak_heap_MB", "allocated_MB")}
        m[c]["live"] = med([float(x["peak_live_heap_MB"]) for x in h])
        print(f"| {c} | {m[c]['seconds']:.1f} | {m[c]['MB_s']:.0f} | {m[c]['peak_heap_MB']:.0f} | "
              f"{m[c]['allocated_MB']:.0f} | {m[c]['live']:.0f} | {r[0]['kept']} |")
    print(f"\nTributary / Kafka: time {m['tributary']['seconds'] / m['kafka']['seconds']:.2f}, "
          f"heap in use {m['tributary']['peak_heap_MB'] / m['kafka']['peak_heap_MB']:.2f}, "
          f"live heap {m['tributary']['live'] / m['kafka']['live']:.2f}\n")
pr = rows("produce.log")
if pr:
    print("| broker | delete rec/s | compact rec/s | compact / delete | cleanings during the compact runs |\n|---|---:|---:|---:|---|")
    for b in ("kafka", "tributary"):
        d = med([float(x["rec_s"]) for x in pr if x["broker"] == b and x["policy"] == "delete"])
        c = med([float(x["rec_s"]) for x in pr if x["broker"] == b and x["policy"] == "compact"])
        n = ",".join(x["cleanings"] for x in pr if x["broker"] == b and x["policy"] == "compact")
        print(f"| {b} | {d:,.0f} | {c:,.0f} | {c / d:.2f} | {n} |")
PY
echo "raw results: $out"
