#!/usr/bin/env bash
# A three-node Apache Kafka 4.4.0 cluster on 127.0.0.1 (KRaft: three combined broker+controller nodes, a 3-voter
# quorum) as the anchor for replicated workloads (bench/replicated-produce.sh). Jars come from
# ../shared/bench/fetch-kafka.sh (into $KAFKA_HOME/lib); data, configs and logs live in a fresh temp dir under /tmp.
#
# Usage: bench/kafka-cluster.sh start|stop|status
#   start:  formats and starts the three nodes, then polls with Kafka's BrokerApiVersionsCommand until all three
#           brokers are registered and unfenced (bounded by KAFKA_CLUSTER_TIMEOUT); prints the bootstrap address.
#           On failure it prints the logs' errors, kills the nodes and keeps the temp dir for reading.
#   stop:   TERM to the three pids it started (KILL after 60 s), then removes the temp dir; also cleans up after an
#           interrupted or failed start.
#   status: pid and state per node and whether all three brokers answer; exit 0 only when they do.
#   env: KAFKA_CLUSTER_PORT (39092: brokers on PORT, PORT+1, PORT+2; controllers on PORT+100..PORT+102),
#        KAFKA_CLUSTER_HEAP (512m per node), KAFKA_CLUSTER_TIMEOUT (120 s), KAFKA_HOME (/tmp/kafka-anchor, jars only),
#        SHARED_BENCH (../shared/bench beside the checkout), JAVA (java)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
shared=${SHARED_BENCH:-$root/../shared/bench}
port=${KAFKA_CLUSTER_PORT:-39092}; heap=${KAFKA_CLUSTER_HEAP:-512m}; timeout=${KAFKA_CLUSTER_TIMEOUT:-120}
export KAFKA_HOME=${KAFKA_HOME:-/tmp/kafka-anchor}; JAVA=${JAVA:-java}
cp="$KAFKA_HOME/lib/*"
state=/tmp/kafka-cluster-$port.dir   # holds the path of the running cluster's temp dir
nodes=(1 2 3)
broker_port() { echo $((port + $1 - 1)); }
controller_port() { echo $((port + 99 + $1)); }
joined() { local IFS=,; echo "$*"; }
bootstrap() { local n a=(); for n in "${nodes[@]}"; do a+=("127.0.0.1:$(broker_port "$n")"); done; joined "${a[@]}"; }

dir=; [[ -f "$state" ]] && dir=$(cat "$state")
pid_of() { cat "$dir/node-$1/pid" 2>/dev/null; }
alive() {  # NODE: its pid is running and is our kafka.Kafka with this node's config
  local pid; pid=$(pid_of "$1") || return 1
  tr '\0' ' ' 2>/dev/null < "/proc/$pid/cmdline" | grep -q "kafka.Kafka $dir/node-$1/server.properties"
}
any_alive() { local n; for n in "${nodes[@]}"; do alive "$n" && return 0; done; return 1; }
# Number of brokers in the cluster's metadata that answer ApiVersions (metadata lists only unfenced brokers).
brokers_ready() {
  "$JAVA" -Xmx128m -Dlog4j2.level=ERROR -cp "$cp" org.apache.kafka.tools.BrokerApiVersionsCommand \
      --bootstrap-server "$(bootstrap)" 2>/dev/null | grep -cE '^127\.0\.0\.1:[0-9]+ \(id: [0-9]+' || true
}
kill_nodes() {
  local n pids=()
  for n in "${nodes[@]}"; do alive "$n" && pids+=("$(pid_of "$n")"); done
  [[ ${#pids[@]} -gt 0 ]] || return 0
  kill "${pids[@]}" 2>/dev/null || true
  for _ in $(seq 1 120); do
    local left=()
    for n in "${nodes[@]}"; do alive "$n" && left+=("$(pid_of "$n")"); done
    [[ ${#left[@]} -eq 0 ]] && return 0
    sleep 0.5
  done
  echo "kafka-cluster: pids ${left[*]} ignored TERM for 60 s; KILL" >&2
  kill -9 "${left[@]}" 2>/dev/null || true
}

start() {
  if [[ -n "$dir" ]]; then
    any_alive && { echo "kafka-cluster: already running from $dir (bench/kafka-cluster.sh stop first)" >&2; exit 1; }
    rm -rf "$dir" "$state"   # a stopped or failed earlier start: its logs go now
  fi
  local n p
  for n in "${nodes[@]}"; do for p in "$(broker_port "$n")" "$(controller_port "$n")"; do
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && { echo "kafka-cluster: port $p is already in use" >&2; exit 1; }
  done; done
  "$shared/fetch-kafka.sh"
  dir=$(mktemp -d /tmp/kafka-cluster.XXXXXX); echo "$dir" > "$state"
  local voters=()
  for n in "${nodes[@]}"; do voters+=("$n@127.0.0.1:$(controller_port "$n")"); done
  # Broker log: INFO to node-N/server.log, as the distribution does.
  cat > "$dir/log4j2.properties" <<'L'
appender.f.type=File
appender.f.name=f
appender.f.fileName=${sys:kafka.node.dir}/server.log
appender.f.layout.type=PatternLayout
appender.f.layout.pattern=[%d] %p %m (%c)%n
rootLogger.level=INFO
rootLogger.appenderRef.f.ref=f
L
  local jlog=-Dlog4j2.configurationFile=$dir/log4j2.properties id
  id=$("$JAVA" -Xmx128m $jlog -Dkafka.node.dir="$dir" -cp "$cp" kafka.tools.StorageTool random-uuid)
  for n in "${nodes[@]}"; do
    local nd=$dir/node-$n; mkdir -p "$nd/data"
    # Kafka's config/server.properties values (as ../shared/bench/kafka-broker.sh), with three voters, 127.0.0.1
    # listeners and internal topics replicated three ways.
    cat > "$nd/server.properties" <<P
process.roles=broker,controller
node.id=$n
controller.quorum.voters=$(joined "${voters[@]}")
listeners=PLAINTEXT://127.0.0.1:$(broker_port "$n"),CONTROLLER://127.0.0.1:$(controller_port "$n")
advertised.listeners=PLAINTEXT://127.0.0.1:$(broker_port "$n")
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
num.network.threads=3
num.io.threads=8
log.dirs=$nd/data
num.partitions=1
offsets.topic.replication.factor=3
share.coordinator.state.topic.replication.factor=3
share.coordinator.state.topic.min.isr=2
transaction.state.log.replication.factor=3
transaction.state.log.min.isr=2
group.initial.rebalance.delay.ms=0
log.retention.hours=168
log.segment.bytes=1073741824
P
    "$JAVA" -Xmx128m $jlog -Dkafka.node.dir="$nd" -cp "$cp" kafka.tools.StorageTool format -t "$id" \
        -c "$nd/server.properties" > "$nd/format.log" 2>&1 \
      || { echo "kafka-cluster: formatting node $n failed; see $nd/format.log" >&2; exit 1; }
  done
  for n in "${nodes[@]}"; do
    local nd=$dir/node-$n
    # JVM flags as in bin/kafka-server-start.sh + kafka-run-class.sh, with a smaller heap.
    nohup "$JAVA" -Xms$heap -Xmx$heap -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
      -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15 \
      -Djava.awt.headless=true $jlog -Dkafka.node.dir="$nd" -cp "$cp" kafka.Kafka "$nd/server.properties" \
      > "$nd/broker.out" 2>&1 &
    echo $! > "$nd/pid"
  done
  local deadline=$((SECONDS + timeout)) ready=0
  while ((SECONDS < deadline)); do
    for n in "${nodes[@]}"; do alive "$n" || { fail "node $n (pid $(pid_of "$n")) exited"; }; done
    ready=$(brokers_ready)
    [[ $ready -eq ${#nodes[@]} ]] && {
      echo "kafka cluster up: bootstrap $(bootstrap) cluster $id pids $(cat "$dir"/node-*/pid | xargs) dir $dir"
      return 0; }
    sleep 2
  done
  fail "only $ready of ${#nodes[@]} brokers ready after ${timeout} s"
}
fail() {
  echo "kafka-cluster: start failed: $1" >&2
  local n
  for n in "${nodes[@]}"; do
    echo "--- node $n: $dir/node-$n/server.log (errors, last 5) and broker.out (last 5)" >&2
    grep -E ' (ERROR|FATAL) ' "$dir/node-$n/server.log" 2>/dev/null | tail -5 >&2 || true
    tail -5 "$dir/node-$n/broker.out" >&2 2>/dev/null || true
  done
  kill_nodes
  echo "kafka-cluster: nodes stopped; logs kept in $dir (the next start or stop removes them)" >&2
  exit 1
}

stop() {
  [[ -n "$dir" ]] || { echo "kafka cluster not running"; return 0; }
  kill_nodes
  rm -rf "$dir" "$state"
  echo "kafka cluster stopped; removed $dir"
}

status() {
  [[ -n "$dir" ]] || { echo "kafka cluster not running"; return 1; }
  local n s up=0
  for n in "${nodes[@]}"; do
    if alive "$n"; then up=$((up + 1)); s=running; else s="not running"; fi
    echo "node $n 127.0.0.1:$(broker_port "$n") (controller $(controller_port "$n")) pid $(pid_of "$n" || echo -) $s"
  done
  local ready=0; [[ $up -gt 0 ]] && ready=$(brokers_ready)
  echo "bootstrap $(bootstrap): $ready of ${#nodes[@]} brokers ready; dir $dir"
  [[ $ready -eq ${#nodes[@]} ]]
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
