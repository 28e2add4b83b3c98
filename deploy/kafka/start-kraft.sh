#!/usr/bin/env bash
# A real single-node Kafka broker (KRaft: broker and controller in one process) from Maven Central
# jars, for people without Docker. Idempotent: `start` does nothing when the broker already runs.
#
#   deploy/kafka/start-kraft.sh [start]   fetch the jars (first time), format the log folder (first
#                                         time), start the broker in the background, wait until it answers
#   deploy/kafka/start-kraft.sh stop      stop it (SIGTERM, then waits up to 60 s)
#   deploy/kafka/start-kraft.sh status    say whether it runs
#
# Settings (environment): KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), KAFKA_HOST (127.0.0.1),
# KAFKA_WORK_DIR (deploy/kafka/.work: jars, server.properties, data, log, pid), KAFKA_LIB_DIR (the jars;
# KAFKA_WORK_DIR/lib), KAFKA_HEAP_OPTS (-Xmx1g).
# Then: bootstrap.servers=127.0.0.1:9092.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
port="${KAFKA_PORT:-9092}"
controller_port="${KAFKA_CONTROLLER_PORT:-9093}"
host="${KAFKA_HOST:-127.0.0.1}"
work="${KAFKA_WORK_DIR:-$here/.work}"
lib="${KAFKA_LIB_DIR:-$work/lib}"
data="$work/data"
props="$work/server.properties"
pidfile="$work/kafka.pid"
logfile="$work/kafka.log"
heap="${KAFKA_HEAP_OPTS:--Xmx1g -Xms256m}"

# shellcheck source=../lib/processes.sh
source "$root/deploy/lib/processes.sh"

say() { echo "start-kraft: $*" >&2; }

running() {
  # the pid is this broker's only while its command line names this work folder's server.properties
  owns_pid "$pidfile" "$props"
}

answers() {
  # a TCP connection to the broker port; bash's /dev/tcp needs no other tool
  (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null
}

fetch_jars() {
  if [[ -f "$lib/.complete" && "$lib/.complete" -nt "$here/pom.xml" ]]; then
    return
  fi
  say "fetching Kafka jars from Maven Central into $lib (once)"
  mkdir -p "$lib"
  "$root/mvnw" -q -B -f "$here/pom.xml" dependency:copy-dependencies -Dkafka.lib.dir="$lib"
  touch "$lib/.complete"
}

write_properties() {
  mkdir -p "$work"
  cat > "$work/log4j2.properties" <<LOG
rootLogger.level = INFO
rootLogger.appenderRef.out.ref = out
appender.out.type = Console
appender.out.name = out
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
LOG
  cat > "$props" <<PROPS
# written by start-kraft.sh; edit the script's settings instead
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$host:$controller_port
listeners=PLAINTEXT://$host:$port,CONTROLLER://$host:$controller_port
advertised.listeners=PLAINTEXT://$host:$port
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=$data
num.partitions=3
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
PROPS
}

format_storage() {
  if [[ -f "$data/meta.properties" ]]; then
    return
  fi
  say "formatting $data"
  local id
  id="$(java -cp "$lib/*" kafka.tools.StorageTool random-uuid 2>/dev/null)"
  java -Dlog4j2.configurationFile="$work/log4j2.properties" -cp "$lib/*" kafka.tools.StorageTool format \
    -t "$id" -c "$props" >>"$logfile" 2>&1
}

start() {
  if running; then
    say "already running (pid $(cat "$pidfile")) on $host:$port"
    return 0
  fi
  if answers; then
    say "something else already listens on $host:$port; set KAFKA_PORT"
    return 1
  fi
  fetch_jars
  write_properties
  format_storage
  say "starting the broker on $host:$port (log: $logfile)"
  # shellcheck disable=SC2086
  nohup java $heap -Dlog4j2.configurationFile="$work/log4j2.properties" -cp "$lib/*" kafka.Kafka "$props" \
    >"$logfile" 2>&1 &
  echo $! > "$pidfile"
  for _ in $(seq 1 120); do
    if answers; then
      say "ready: bootstrap.servers=$host:$port"
      return 0
    fi
    if ! running; then
      say "the broker stopped; the end of $logfile:"
      tail -n 30 "$logfile" >&2
      return 1
    fi
    sleep 0.5
  done
  say "the broker did not answer within 60 s; see $logfile"
  return 1
}

stop() {
  if ! running; then
    say "not running"
    rm -f "$pidfile"
    return 0
  fi
  local pid
  pid="$(cat "$pidfile")"
  kill "$pid"
  for _ in $(seq 1 120); do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$pidfile"
      say "stopped"
      return 0
    fi
    sleep 0.5
  done
  say "pid $pid did not stop within 60 s"
  return 1
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  status)
    if running; then say "running (pid $(cat "$pidfile")) on $host:$port"; else say "not running"; exit 3; fi ;;
  *) echo "usage: $0 [start|stop|status]" >&2; exit 2 ;;
esac
