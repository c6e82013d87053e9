#!/usr/bin/env bash
# A real Apache Kafka 3.9 broker (or a three-broker cluster) for development
# and tests, fetched from Maven Central and run from ./.kafka. See docs/kafka.md.
#
#   scripts/kafka.sh fetch            copy the broker jars into .kafka/libs (cached)
#   scripts/kafka.sh start            one KRaft broker+controller on 127.0.0.1:${KAFKA_PORT:-19092}
#   scripts/kafka.sh start-cluster    three brokers on 127.0.0.1:19192,19292,19392
#                                     (base+100*N, base = ${KAFKA_CLUSTER_BASE_PORT:-19092})
#   scripts/kafka.sh stop | stop-cluster
#   scripts/kafka.sh kill N           SIGKILL broker N of the cluster (or the single broker, N=1)
#   scripts/kafka.sh restart N        start broker N again (after kill, or stop it first),
#                                     on the ports it had unless KAFKA_PORT is set
#   scripts/kafka.sh status
#
# Environment: KAFKA_PORT, KAFKA_CONTROLLER_PORT (single broker),
# KAFKA_CLUSTER_BASE_PORT (the cluster: broker N on base+100*N, its controller +1),
# KAFKA_HEAP_OPTS (default -Xms128m -Xmx512m), KAFKA_START_TIMEOUT (60 s).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
KDIR="$ROOT/.kafka"
LIBS="$KDIR/libs"
POM="$ROOT/scripts/kafka/pom.xml"
KAFKA_VERSION=3.9.2
HOST=127.0.0.1
SINGLE_PORT=${KAFKA_PORT:-19092}
SINGLE_CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-19093}
CLUSTER_BASE=${KAFKA_CLUSTER_BASE_PORT:-19092}
HEAP=${KAFKA_HEAP_OPTS:--Xms128m -Xmx512m}
START_TIMEOUT=${KAFKA_START_TIMEOUT:-60}
CLUSTER_N=3

die() { echo "kafka.sh: $*" >&2; exit 1; }
log() { echo "kafka.sh: $*" >&2; }

# ---------------------------------------------------------------- fetch

fetch() {
  if [ -f "$LIBS/.complete-$KAFKA_VERSION" ]; then
    log "broker jars already in .kafka/libs (Kafka $KAFKA_VERSION)"
    return 0
  fi
  command -v mvn >/dev/null || die "mvn not found: run scripts/install-deps.sh"
  command -v java >/dev/null || die "java not found: run scripts/install-deps.sh"
  log "fetching Kafka $KAFKA_VERSION and its dependencies from Maven Central"
  rm -rf "$LIBS"
  mkdir -p "$LIBS"
  mvn -q -B -Dstyle.color=never -f "$POM" -Dkafka.version="$KAFKA_VERSION" -Dlibs.dir="$LIBS" package >&2 \
    || die "maven could not fetch the broker"
  [ -f "$LIBS/kafka_2.13-$KAFKA_VERSION.jar" ] || die "kafka_2.13-$KAFKA_VERSION.jar missing after fetch"
  touch "$LIBS/.complete-$KAFKA_VERSION"
  log "fetched $(ls "$LIBS"/*.jar | wc -l) jars into .kafka/libs"
}

# ---------------------------------------------------------------- brokers
# A broker is named by a "slot": "single" or "cluster-1".."cluster-3".

slot_dir() { echo "$KDIR/$1"; }            # config, pid, log
data_dir() {
  case $1 in
    single) echo "$KDIR/data-1" ;;
    cluster-*) echo "$KDIR/${1}/data" ;;
  esac
}
slot_node() { case $1 in single) echo 1 ;; cluster-*) echo "${1#cluster-}" ;; esac; }
slot_port() {
  case $1 in
    single) echo "$SINGLE_PORT" ;;
    cluster-*) echo $((CLUSTER_BASE + 100 * ${1#cluster-})) ;;
  esac
}
slot_cport() {
  case $1 in
    single) echo "$SINGLE_CONTROLLER_PORT" ;;
    cluster-*) echo $((CLUSTER_BASE + 1 + 100 * ${1#cluster-})) ;;
  esac
}
cluster_voters() {
  local v="" i
  for i in $(seq 1 $CLUSTER_N); do v="$v${v:+,}$i@$HOST:$((CLUSTER_BASE + 1 + 100 * i))"; done
  echo "$v"
}
cluster_bootstrap() {
  local v="" i
  for i in $(seq 1 $CLUSTER_N); do v="$v${v:+,}$HOST:$((CLUSTER_BASE + 100 * i))"; done
  echo "$v"
}

pid_of() {  # prints the pid of a running broker in this slot, or fails
  local f
  f="$(slot_dir "$1")/broker.pid"
  [ -f "$f" ] || return 1
  local pid
  pid=$(cat "$f")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "kafka.Kafka" || return 1
  echo "$pid"
}

port_busy() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

write_config() {  # slot
  local slot=$1 dir node port cport
  dir=$(slot_dir "$slot"); node=$(slot_node "$slot")
  port=$(slot_port "$slot"); cport=$(slot_cport "$slot")
  mkdir -p "$dir" "$(data_dir "$slot")"
  local voters rf isr
  if [ "$slot" = single ]; then
    voters="1@$HOST:$cport"; rf=1; isr=1
  else
    voters=$(cluster_voters); rf=3; isr=2
  fi
  cat >"$dir/server.properties" <<EOF
# Written by scripts/kafka.sh: a KRaft broker+controller for development.
process.roles=broker,controller
node.id=$node
controller.quorum.voters=$voters
listeners=PLAINTEXT://$HOST:$port,CONTROLLER://$HOST:$cport
advertised.listeners=PLAINTEXT://$HOST:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$(data_dir "$slot")
num.partitions=1
default.replication.factor=$rf
min.insync.replicas=$isr
offsets.topic.replication.factor=$rf
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=$rf
transaction.state.log.min.isr=$isr
transaction.state.log.num.partitions=10
auto.create.topics.enable=false
group.initial.rebalance.delay.ms=0
log.retention.ms=-1
log.retention.bytes=-1
num.network.threads=2
num.io.threads=2
background.threads=2
EOF
  cat >"$dir/log4j.properties" <<EOF
log4j.rootLogger=INFO, file
log4j.appender.file=org.apache.log4j.RollingFileAppender
log4j.appender.file.File=$dir/server.log
log4j.appender.file.MaxFileSize=20MB
log4j.appender.file.MaxBackupIndex=2
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
log4j.logger.kafka.log.LogCleaner=WARN
log4j.logger.org.apache.kafka.storage=WARN
EOF
}

java_cmd() {  # slot, then extra args
  local slot=$1; shift
  # shellcheck disable=SC2086
  java $HEAP -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true \
    -Dlog4j.configuration="file:$(slot_dir "$slot")/log4j.properties" \
    -Dkafka.logs.dir="$(slot_dir "$slot")" \
    -cp "$LIBS/*" "$@"
}

format_storage() {  # slot cluster-id
  local slot=$1 id=$2
  if [ -f "$(data_dir "$slot")/meta.properties" ]; then return 0; fi
  log "formatting $(data_dir "$slot" | sed "s|$ROOT/||")"
  java_cmd "$slot" kafka.tools.StorageTool format -t "$id" \
    -c "$(slot_dir "$slot")/server.properties" --ignore-formatted >/dev/null \
    || die "formatting storage for $slot failed"
}

cluster_id() {  # file holding a stable cluster id, created on first use
  local f=$1
  if [ ! -s "$f" ]; then
    mkdir -p "$(dirname "$f")"
    java -cp "$LIBS/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1 >"$f"
  fi
  cat "$f"
}

launch() {  # slot cluster-id: starts the broker in the background (no wait)
  local slot=$1 id=$2 dir
  dir=$(slot_dir "$slot")
  if pid=$(pid_of "$slot"); then
    log "$slot already running (pid $pid)"
    return 0
  fi
  local port cport
  port=$(slot_port "$slot"); cport=$(slot_cport "$slot")
  if port_busy "$port" || port_busy "$cport"; then
    die "port $port or $cport is in use by another process; set KAFKA_PORT/KAFKA_CONTROLLER_PORT or stop it"
  fi
  write_config "$slot"
  format_storage "$slot" "$id"
  # setsid: the broker outlives this shell and is not hit by its signals.
  setsid bash -c 'exec "$@"' _ java $HEAP -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -Djava.awt.headless=true \
    -Dlog4j.configuration="file:$dir/log4j.properties" -Dkafka.logs.dir="$dir" \
    -cp "$LIBS/*" kafka.Kafka "$dir/server.properties" \
    >"$dir/stdout.log" 2>&1 </dev/null &
  local pid=$!
  echo "$pid" >"$dir/broker.pid"
  rm -f "$dir/killed"
  # Until the child has exec'd java, its command line is still this
  # script's and pid_of would call the broker dead: wait for the exec (or
  # for the child to die) before anyone asks.
  local i
  for i in $(seq 100); do
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "kafka.Kafka" && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  log "started $slot (node $(slot_node "$slot"), pid $pid, port $port)"
}

check_alive() {  # slots...: fail early with the log tail when a broker died
  local s
  for s in "$@"; do
    if ! pid_of "$s" >/dev/null; then
      log "$s exited; last lines of $(slot_dir "$s")/server.log:"
      tail -20 "$(slot_dir "$s")/server.log" >&2 2>/dev/null || tail -20 "$(slot_dir "$s")/stdout.log" >&2 || true
      return 1
    fi
  done
}

start_single() {
  fetch
  command -v kcat >/dev/null || die "kcat not found: run scripts/install-deps.sh"
  local bs="$HOST:$SINGLE_PORT"
  if pid_of single >/dev/null; then
    log "broker already running"
    echo "$bs"
    return 0
  fi
  launch single "$(cluster_id "$KDIR/single/cluster.id")"
  local deadline=$((SECONDS + START_TIMEOUT))
  while [ $SECONDS -lt $deadline ]; do
    check_alive single || die "broker failed to start"
    if wait_ready_once "$bs" 1; then echo "$bs"; return 0; fi
    sleep 0.5
  done
  die "broker did not answer on $bs within ${START_TIMEOUT}s (see .kafka/single/server.log)"
}

wait_ready_once() {
  local out n
  out=$(timeout 5 kcat -b "$1" -L -m 3 2>/dev/null || true)
  n=$(echo "$out" | sed -n 's/^ *\([0-9]*\) brokers:.*/\1/p' | head -1)
  [ -n "$n" ] && [ "$n" -ge "$2" ]
}

start_cluster() {
  fetch
  command -v kcat >/dev/null || die "kcat not found: run scripts/install-deps.sh"
  local id i slots=()
  id=$(cluster_id "$KDIR/cluster.id")
  for i in $(seq 1 $CLUSTER_N); do
    slots+=("cluster-$i")
    launch "cluster-$i" "$id"
  done
  local bs deadline=$((SECONDS + START_TIMEOUT))
  bs=$(cluster_bootstrap)
  while [ $SECONDS -lt $deadline ]; do
    check_alive "${slots[@]}" || die "cluster failed to start"
    if wait_ready_once "$bs" $CLUSTER_N; then echo "$bs"; return 0; fi
    sleep 0.5
  done
  die "cluster did not show $CLUSTER_N brokers on $bs within ${START_TIMEOUT}s"
}

stop_slots() {  # slots...: SIGTERM all, wait for a clean exit, SIGKILL stragglers
  local s pid pids=() names=()
  for s in "$@"; do
    if pid=$(pid_of "$s"); then
      kill -TERM "$pid"; pids+=("$pid"); names+=("$s")
      log "stopping $s (pid $pid)"
    fi
    rm -f "$(slot_dir "$s")/broker.pid.stale" "$(slot_dir "$s")/killed"
  done
  local deadline=$((SECONDS + 60)) alive
  while :; do
    alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ $alive -eq 0 ] && break
    if [ $SECONDS -ge $deadline ]; then
      log "brokers still running after 60 s: SIGKILL"
      for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
      break
    fi
    sleep 0.3
  done
  for s in "$@"; do rm -f "$(slot_dir "$s")/broker.pid"; done
}

cluster_slots() { local i; for i in $(seq 1 $CLUSTER_N); do echo "cluster-$i"; done; }

slot_for_n() {  # N -> slot: the cluster's broker N, or the single broker (N=1)
  local n=$1
  [[ "$n" =~ ^[0-9]+$ ]] || die "broker number expected, got '$n'"
  local c="cluster-$n"
  [ "$n" -ge 1 ] && [ "$n" -le $CLUSTER_N ] || c=""
  if [ -n "$c" ] && pid_of "$c" >/dev/null; then echo "$c"; return; fi
  if [ "$n" = 1 ] && pid_of single >/dev/null; then echo single; return; fi
  # Neither is running: the one `kill` left marked, else the set in use.
  if [ -n "$c" ] && [ -f "$(slot_dir "$c")/killed" ]; then echo "$c"; return; fi
  if [ "$n" = 1 ] && [ -f "$(slot_dir single)/killed" ]; then echo single; return; fi
  if [ -n "$c" ] && any_cluster_running; then echo "$c"; return; fi
  [ "$n" = 1 ] && { echo single; return; }
  [ -n "$c" ] && { echo "$c"; return; }
  die "no broker $n (start-cluster starts brokers 1..$CLUSTER_N)"
}

any_cluster_running() { local s; for s in $(cluster_slots); do pid_of "$s" >/dev/null && return 0; done; return 1; }

status() {
  local s pid any=0
  for s in single $(cluster_slots); do
    if pid=$(pid_of "$s"); then
      echo "$s: running (node $(slot_node "$s"), pid $pid, $HOST:$(slot_port "$s"))"; any=1
    elif [ -d "$(slot_dir "$s")" ]; then
      echo "$s: stopped"
    fi
  done
  [ $any -eq 1 ] || echo "no broker running"
}

cmd=${1:-}
case $cmd in
  fetch) fetch ;;
  start) start_single ;;
  start-cluster) start_cluster ;;
  stop) stop_slots single ;;
  stop-cluster) stop_slots $(cluster_slots) ;;
  kill)
    slot=$(slot_for_n "${2:?usage: kafka.sh kill N}")
    if pid=$(pid_of "$slot"); then kill -KILL "$pid"; log "killed $slot (pid $pid)"
      while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
      rm -f "$(slot_dir "$slot")/broker.pid"
      touch "$(slot_dir "$slot")/killed"
    else log "$slot is not running"; fi ;;
  restart)
    slot=$(slot_for_n "${2:?usage: kafka.sh restart N}")
    stop_slots "$slot"
    if [ "$slot" = single ]; then
      # Back on the ports it had, unless told others (a test that restarts
      # it need not know them).
      props="$(slot_dir single)/server.properties"
      if [ -z "${KAFKA_PORT:-}" ] && [ -f "$props" ]; then
        SINGLE_PORT=$(sed -n 's|^listeners=PLAINTEXT://[^:]*:\([0-9]*\),.*|\1|p' "$props")
        SINGLE_CONTROLLER_PORT=$(sed -n 's|^listeners=.*CONTROLLER://[^:]*:\([0-9]*\).*|\1|p' "$props")
      fi
      start_single
    else
      launch "$slot" "$(cluster_id "$KDIR/cluster.id")"
      deadline=$((SECONDS + START_TIMEOUT))
      until wait_ready_once "$HOST:$(slot_port "$slot")" 1; do
        check_alive "$slot" || die "$slot failed to start"
        [ $SECONDS -lt $deadline ] || die "$slot did not answer within ${START_TIMEOUT}s"
        sleep 0.5
      done
      cluster_bootstrap
    fi ;;
  status) status ;;
  *) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; [ -z "$cmd" ] || exit 2 ;;
esac
