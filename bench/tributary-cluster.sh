#!/usr/bin/env bash
# Three Tributary brokers on Payara Micro, on 127.0.0.1, forming one cluster through Payara's data grid with their
# metadata in a throwaway PostgreSQL (Debian's, started as the postgres user in the same temp dir): the Tributary
# side of bench/kafka-cluster.sh, for bench/replicated-produce.sh and for failover times.
#
# Usage: bench/tributary-cluster.sh start|stop|status|failover TOPIC [PARTITION]
#   start:    builds what bin/tributary finds missing, starts PostgreSQL and the three brokers (bin/tributary start
#             --cluster ... --insecure: kafka-cluster.sh's anchor cluster is PLAINTEXT without ACLs, Kafka's default, and
#             both run the same client commands), then polls the first broker's GET /api/v1/cluster until it lists all three
#             alive (bounded by TRIBUTARY_CLUSTER_TIMEOUT); prints the bootstrap address. On failure it prints the
#             brokers' last log lines, stops everything and keeps the temp dir for reading.
#   stop:     TERM to the brokers it started (KILL after 60 s), stops PostgreSQL, removes the temp dir.
#   status:   pid and state per broker and PostgreSQL; exit 0 only when a broker lists all three alive.
#   failover: kill -9 of the broker leading TOPIC's PARTITION (0), then polls a survivor's GET /api/v1/topics/TOPIC
#             until it names another leader; prints "RESULT phase=failover ... new_leader_ms=N seen_ms=M": N from the
#             kill to the new leader's log line saying it leads, M to the survivor's REST API saying so. Then
#             restarts the killed broker and waits until it is back in the partition's ISR ("rejoined_isr_ms").
#   env: TRIBUTARY_CLUSTER_PORT (49092: Kafka on PORT..PORT+2, HTTP on PORT-1012.., data grid on PORT-2192..,
#        PostgreSQL on PORT-3660), TRIBUTARY_CLUSTER_HEAP (512m per broker, as kafka-cluster.sh's nodes),
#        TRIBUTARY_CLUSTER_TIMEOUT (240 s), JAVA_HOME (bin/tributary's Java)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
port=${TRIBUTARY_CLUSTER_PORT:-49092}; heap=${TRIBUTARY_CLUSTER_HEAP:-512m}
timeout=${TRIBUTARY_CLUSTER_TIMEOUT:-240}
pg_port=$((port - 3660))
state=/tmp/tributary-cluster-$port.dir   # holds the path of the running cluster's temp dir
nodes=(1 2 3)
kafka_port() { echo $((port + $1 - 1)); }
http_port() { echo $((port - 1013 + $1)); }
grid_port() { echo $((port - 2193 + $1)); }
joined() { local IFS=,; echo "$*"; }
bootstrap() { local n a=(); for n in "${nodes[@]}"; do a+=("127.0.0.1:$(kafka_port "$n")"); done; joined "${a[@]}"; }
members() { local n a=(); for n in "${nodes[@]}"; do a+=("127.0.0.1:$(grid_port "$n")"); done; echo "tcpip:$(joined "${a[@]}")"; }
ms() { date +%s%3N; }

dir=; [[ -f "$state" ]] && dir=$(cat "$state")
pid_of() { cat "$dir/node-$1/pid" 2>/dev/null; }
alive() {  # NODE: its pid runs bin/tributary, or the Payara Micro it becomes, on this node's data dir
  local pid; pid=$(pid_of "$1") || return 1
  tr '\0' ' ' 2>/dev/null < "/proc/$pid/cmdline" | grep -q -- "$dir/node-$1/data "
}
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
as_postgres() { runuser -u postgres -- "$@"; }

# GET /api/v1/cluster of NODE, reduced by a Python expression over the parsed JSON `c` (empty when it fails).
cluster_view() {
  curl -sf --max-time 2 "http://127.0.0.1:$(http_port "$1")/api/v1/cluster" 2>/dev/null \
    | python3 -c "import json,sys; c=json.load(sys.stdin); print($2)" 2>/dev/null || true
}
alive_brokers() { cluster_view "$1" 'sum(1 for b in c["brokers"] if b["alive"])'; }
# TOPIC PARTITION as seen by NODE: "leader isr,isr,..." (leader "none" while it has none). From GET /topics/TOPIC,
# which reads only the broker's own metadata (GET /cluster also reads the data grid, which stalls while the grid
# rebalances after a member left).
leadership() {
  curl -sf --max-time 2 "http://127.0.0.1:$(http_port "$1")/api/v1/topics/$2" 2>/dev/null | python3 -c "
import json, sys
p = next(p for p in json.load(sys.stdin)['partitions'] if p['partition'] == $3)
print(('none' if p['leader'] < 0 else str(p['leader'])) + ' ' + ','.join(map(str, p['isr'])))" 2>/dev/null || true
}
node_of_broker() {  # NODE BROKER_ID: the node whose Kafka port the broker announces, as NODE sees it
  local k; k=$(cluster_view "$1" "next(b['kafkaAddress'] for b in c['brokers'] if b['id'] == $2)")
  local n; for n in "${nodes[@]}"; do [[ "$k" == "127.0.0.1:$(kafka_port "$n")" ]] && { echo "$n"; return; }; done
  return 1
}

start_node() {
  local n=$1 nd=$dir/node-$1
  mkdir -p "$nd/data"
  JDK_JAVA_OPTIONS="-Xms$heap -Xmx$heap" TRIBUTARY_DB_PASSWORD=bench nohup "$root/bin/tributary" start \
    --data-dir "$nd/data" --http-port "$(http_port "$n")" --kafka-port "$(kafka_port "$n")" \
    --cluster "$(members)" --grid-port "$(grid_port "$n")" \
    --db-url "jdbc:postgresql://127.0.0.1:$pg_port/postgres" --db-user postgres --insecure \
    >> "$nd/broker.out" 2>&1 &
  echo $! > "$nd/pid"
  # The background job shows our own command line until it has exec'd bin/tributary.
  for _ in $(seq 1 50); do alive "$n" && return 0; sleep 0.1; done
}
await_alive() {  # NODE COUNT: waits until NODE lists COUNT alive brokers
  local deadline=$((SECONDS + timeout)) seen=0 n
  while ((SECONDS < deadline)); do
    for n in "${nodes[@]}"; do
      [[ ! -f "$dir/node-$n/pid" ]] || alive "$n" || fail "broker $n (pid $(pid_of "$n")) exited"
    done
    seen=$(alive_brokers "$1"); [[ "${seen:-0}" -ge "$2" ]] && return 0
    sleep 1
  done
  fail "broker $1 lists ${seen:-no} alive brokers of $2 after ${timeout} s"
}

start() {
  if [[ -n "$dir" ]]; then
    alive 1 || alive 2 || alive 3 && { echo "tributary-cluster: already running from $dir (stop first)" >&2; exit 1; }
    rm -rf "$dir" "$state"
  fi
  local n p
  for n in "${nodes[@]}"; do for p in "$(kafka_port "$n")" "$(http_port "$n")" "$(grid_port "$n")" "$pg_port"; do
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && { echo "tributary-cluster: port $p is already in use" >&2; exit 1; }
  done; done
  command -v curl >/dev/null && command -v python3 >/dev/null || { echo "tributary-cluster: needs curl and python3" >&2; exit 1; }
  [[ -n "$(pg_bin)" ]] || { echo "tributary-cluster: needs PostgreSQL: apt-get install postgresql" >&2; exit 1; }
  dir=$(mktemp -d /tmp/tributary-cluster.XXXXXX); echo "$dir" > "$state"; chmod 755 "$dir"
  mkdir -p "$dir/pg" && chown postgres "$dir/pg"
  as_postgres "$(pg_bin)/initdb" -D "$dir/pg/data" -U postgres --auth=trust > "$dir/pg/initdb.log" 2>&1 \
    || { echo "tributary-cluster: initdb failed; see $dir/pg/initdb.log" >&2; exit 1; }
  as_postgres "$(pg_bin)/pg_ctl" -D "$dir/pg/data" -w -l "$dir/pg/server.log" \
    -o "-p $pg_port -k $dir/pg -c listen_addresses=127.0.0.1" start > /dev/null \
    || { echo "tributary-cluster: PostgreSQL did not start; see $dir/pg/server.log" >&2; exit 1; }
  # The first broker creates the schema; the others start once it answers, so no two migrate at once.
  start_node 1; await_alive 1 1
  for n in "${nodes[@]:1}"; do start_node "$n"; done
  await_alive 1 ${#nodes[@]}
  echo "tributary cluster up: bootstrap $(bootstrap) REST http://127.0.0.1:$(http_port 1)/api/v1" \
       "pids $(cat "$dir"/node-*/pid | xargs) dir $dir"
}

kill_nodes() {
  local n pids=()
  for n in "${nodes[@]}"; do alive "$n" && pids+=("$(pid_of "$n")"); done
  if [[ ${#pids[@]} -gt 0 ]]; then
    kill "${pids[@]}" 2>/dev/null || true
    for _ in $(seq 1 120); do
      local left=()
      for n in "${nodes[@]}"; do alive "$n" && left+=("$(pid_of "$n")"); done
      [[ ${#left[@]} -eq 0 ]] && break
      sleep 0.5
    done
    [[ ${#left[@]} -eq 0 ]] || { echo "tributary-cluster: pids ${left[*]} ignored TERM for 60 s; KILL" >&2
                                 kill -9 "${left[@]}" 2>/dev/null || true; }
  fi
  [[ -f "$dir/pg/data/postmaster.pid" ]] && as_postgres "$(pg_bin)/pg_ctl" -D "$dir/pg/data" -m fast -w stop >/dev/null
  return 0
}
fail() {
  echo "tributary-cluster: $1" >&2
  local n
  for n in "${nodes[@]}"; do
    echo "--- broker $n: $dir/node-$n/broker.out (last 5 lines)" >&2; tail -5 "$dir/node-$n/broker.out" >&2 || true
  done
  kill_nodes
  echo "tributary-cluster: stopped; logs kept in $dir (the next start or stop removes them)" >&2
  exit 1
}

stop() {
  [[ -n "$dir" ]] || { echo "tributary cluster not running"; return 0; }
  kill_nodes
  rm -rf "$dir" "$state"
  echo "tributary cluster stopped; removed $dir"
}

status() {
  [[ -n "$dir" ]] || { echo "tributary cluster not running"; return 1; }
  local n s seen=0
  for n in "${nodes[@]}"; do
    if alive "$n"; then s=running; seen=$(alive_brokers "$n"); else s="not running"; fi
    echo "broker $n kafka 127.0.0.1:$(kafka_port "$n") http $(http_port "$n") grid $(grid_port "$n") pid $(pid_of "$n" || echo -) $s"
  done
  echo "bootstrap $(bootstrap): ${seen:-0} of ${#nodes[@]} brokers alive; PostgreSQL 127.0.0.1:$pg_port; dir $dir"
  [[ "${seen:-0}" -eq ${#nodes[@]} ]]
}

failover() {
  local topic=${1:?usage: bench/tributary-cluster.sh failover TOPIC [PARTITION]} partition=${2:-0}
  [[ -n "$dir" ]] || { echo "tributary cluster not running" >&2; exit 1; }
  local before leader victim witness n
  before=$(leadership 1 "$topic" "$partition"); leader=${before%% *}
  [[ "$leader" =~ ^[0-9]+$ ]] || { echo "tributary-cluster: $topic-$partition has no leader ($before)" >&2; exit 1; }
  victim=$(node_of_broker 1 "$leader") || { echo "tributary-cluster: no node announces broker $leader" >&2; exit 1; }
  for n in "${nodes[@]}"; do [[ $n != "$victim" ]] && { witness=$n; break; }; done
  local killed now after
  killed=$(ms); kill -9 "$(pid_of "$victim")"
  while :; do
    after=$(leadership "$witness" "$topic" "$partition"); now=$(ms)
    [[ "${after%% *}" =~ ^[0-9]+$ && "${after%% *}" != "$leader" ]] && break
    ((now - killed < 60000)) || { echo "tributary-cluster: no new leader 60 s after the kill ($after)" >&2; exit 1; }
    sleep 0.02
  done
  local seen=$((now - killed)) elected=unknown winner line
  # Each poll costs a curl and a python3 start, hundreds of ms on a loaded box: the moment the new leader took
  # over is read from its own log, which stamps it to the millisecond.
  if winner=$(node_of_broker "$witness" "${after%% *}"); then
    line=$(grep -F "leads $topic-$partition at leader epoch" "$dir/node-$winner/broker.out" | tail -1)
    [[ -n "$line" ]] && elected=$(( $(date -d "${line%% *}" +%s%3N) - killed ))
  fi
  start_node "$victim"
  local restarted; restarted=$(ms)
  while :; do
    after=$(leadership "$witness" "$topic" "$partition"); now=$(ms)
    [[ ",${after#* }," == *",$leader,"* ]] && break
    ((now - restarted < timeout * 1000)) || { echo "tributary-cluster: broker $leader not back in the ISR ($after)" >&2; exit 1; }
    sleep 0.2
  done
  echo "RESULT phase=failover topic=$topic partition=$partition killed_broker=$leader" \
       "killed_at=$(date -u -d "@$((killed / 1000)).$(printf %03d $((killed % 1000)))" +%H:%M:%S.%3N) new_leader=${after%% *}" \
       "new_leader_ms=$elected seen_ms=$seen rejoined_isr_ms=$((now - restarted)) before=\"$before\" after=\"$after\""
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  failover) shift; failover "$@" ;;
  *) echo "usage: $0 start|stop|status|failover TOPIC [PARTITION]" >&2; exit 2 ;;
esac
