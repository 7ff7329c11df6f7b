# Sourced by the bench scripts that run one Tributary broker with bin/tributary start (not executable on its own).
#   start_tributary DATA_DIR HTTP_PORT KAFKA_PORT LOG: starts it in the background (pid in $trib_pid) and waits until
#                                                      its Kafka port answers; fails if it exits first or takes > 120 s
#   stop_tributary: SIGTERM (Payara shuts down and the broker closes its logs cleanly) and waits for it
#   wait_for_port PORT PID: until 127.0.0.1:PORT accepts a connection (0), or PID is gone or 120 s passed (1)
trib_pid=

wait_for_port() {
  for _ in $(seq 1 240); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.5
  done
  return 1
}

start_tributary() {
  # --insecure: the anchor Kafka these benchmarks compare with runs its default, PLAINTEXT without ACLs; both
  # brokers get the same wire and kafka-perf.sh the same client settings (SCRAM would cost only at connection
  # set-up, ACL checks a lookup per request).
  "$root/bin/tributary" start --data-dir "$1" --http-port "$2" --kafka-port "$3" --insecure > "$4" 2>&1 &
  trib_pid=$!
  wait_for_port "$3" "$trib_pid" || { echo "tributary did not start: $4" >&2; exit 1; }
}

stop_tributary() {
  [[ -n "$trib_pid" ]] || return 0
  kill -TERM "$trib_pid" 2>/dev/null || true
  wait "$trib_pid" 2>/dev/null || true; trib_pid=
}
