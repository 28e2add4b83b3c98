#!/usr/bin/env bash
# A local stack for driftwatch without Docker: a one-node KRaft Kafka broker and Apicurio Registry (a
# Confluent-API schema registry, its schemas kept in an H2 database file), both fetched from Maven Central.
#
#   deploy/local/stack.sh start [--kafka-port N] [--registry-port N] [--dir DIR]
#       fetch what is missing (first time), start both, wait until both answer, print
#       bootstrap.servers=... and schema.registry.url=... and write them to DIR/driftwatch.properties,
#       the file every driftwatch command takes with --config. Ports: the given ones, else those of the
#       last start in DIR, else free ones. Idempotent: a running stack is left as it is.
#   deploy/local/stack.sh stop [--dir DIR]     stop what `start` started in DIR (its pid files), nothing else
#   deploy/local/stack.sh status [--dir DIR]   say what runs; exit 0 when both run, 3 otherwise
#   deploy/local/stack.sh kafka-topics|kafka-configs|kafka-console-consumer|kafka-console-producer|
#                         kafka-consumer-groups|kafka-get-offsets|kafka-storage ARGS...
#       the Kafka command-line tool of that name (as kafka-topics.sh ...), run with the fetched jars;
#       e.g. deploy/local/stack.sh kafka-configs --bootstrap-server 127.0.0.1:PORT --alter \
#            --entity-type topics --entity-name inference-events --add-config retention.ms=-1
#
# DIR (default deploy/local/.stack, or DRIFTWATCH_STACK_DIR) holds the broker's log folder, the registry's
# database, logs, pid files and driftwatch.properties; the jars are kept apart (deploy/kafka/.work/lib and
# deploy/local/.cache), so that a new DIR starts in seconds. Data survive stop and start; remove DIR to
# start afresh. Heap: KAFKA_HEAP_OPTS (-Xmx1g), REGISTRY_HEAP_OPTS (-Xmx512m). Needs java 17+, curl and python3
# (for a free port); the first start needs Maven Central (through ./mvnw).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
host=127.0.0.1
dir="${DRIFTWATCH_STACK_DIR:-$here/.stack}"
kafka_lib="$root/deploy/kafka/.work/lib"
registry_home="$here/.cache/apicurio-registry"
kafka_port=""
registry_port=""

# shellcheck source=../lib/processes.sh
source "$root/deploy/lib/processes.sh"

say() { echo "stack: $*" >&2; }
die() { say "$*"; exit 2; }

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//' >&2
}

command="${1:-}"
[[ -n "$command" ]] || { usage; exit 2; }
shift

# --- the Kafka tools: before option parsing, every argument goes to the tool ---
tool_class() {
  case "$1" in
    kafka-topics) echo org.apache.kafka.tools.TopicCommand ;;
    kafka-configs) echo kafka.admin.ConfigCommand ;;
    kafka-console-consumer) echo org.apache.kafka.tools.consumer.ConsoleConsumer ;;
    kafka-console-producer) echo org.apache.kafka.tools.ConsoleProducer ;;
    kafka-consumer-groups) echo org.apache.kafka.tools.consumer.group.ConsumerGroupCommand ;;
    kafka-get-offsets) echo org.apache.kafka.tools.GetOffsetShell ;;
    kafka-storage) echo kafka.tools.StorageTool ;;
    *) return 1 ;;
  esac
}

fetch_kafka() {
  # start-kraft.sh fetches the broker and the tools from Maven Central (deploy/kafka/pom.xml), once
  if [[ ! -f "$kafka_lib/.complete" || "$root/deploy/kafka/pom.xml" -nt "$kafka_lib/.complete" ]]; then
    say "fetching Kafka jars from Maven Central into $kafka_lib (once)"
    mkdir -p "$kafka_lib"
    "$root/mvnw" -q -B -ntp -f "$root/deploy/kafka/pom.xml" dependency:copy-dependencies -Dkafka.lib.dir="$kafka_lib"
    touch "$kafka_lib/.complete"
  fi
}

if class="$(tool_class "$command")"; then
  fetch_kafka
  cat > "${TMPDIR:-/tmp}/driftwatch-stack-tools-log4j2.properties" <<LOG
rootLogger.level = WARN
rootLogger.appenderRef.err.ref = err
appender.err.type = Console
appender.err.name = err
appender.err.target = SYSTEM_ERR
appender.err.layout.type = PatternLayout
appender.err.layout.pattern = %p %m%n
LOG
  exec java -Xmx256m -Dlog4j2.configurationFile="${TMPDIR:-/tmp}/driftwatch-stack-tools-log4j2.properties" \
    -cp "$kafka_lib/*" "$class" "$@"
fi

while [[ $# -gt 0 ]]; do
  case "$1" in
    --kafka-port) kafka_port="${2:?--kafka-port needs a port}"; shift 2 ;;
    --registry-port) registry_port="${2:?--registry-port needs a port}"; shift 2 ;;
    --dir) dir="${2:?--dir needs a folder}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown option '$1'; see deploy/local/stack.sh --help" ;;
  esac
done
for p in "$kafka_port" "$registry_port"; do
  [[ -z "$p" || "$p" =~ ^[0-9]+$ && "$p" -gt 0 && "$p" -lt 65536 ]] || die "port '$p' is not a number in 1..65535"
done
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
ports_file="$dir/ports"
properties="$dir/driftwatch.properties"
registry_pid="$dir/registry.pid"
registry_log="$dir/registry.log"

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# The broker through deploy/kafka/start-kraft.sh, with its work folder in DIR and the shared jars.
kraft() {
  KAFKA_PORT="$kafka_port" KAFKA_CONTROLLER_PORT="$controller_port" KAFKA_HOST="$host" \
    KAFKA_WORK_DIR="$dir/kafka" KAFKA_LIB_DIR="$kafka_lib" "$root/deploy/kafka/start-kraft.sh" "$@"
}

load_ports() {
  local saved_kafka="" saved_controller="" saved_registry=""
  if [[ -f "$ports_file" ]]; then
    # shellcheck disable=SC1090
    source "$ports_file"
    saved_kafka="${KAFKA:-}"; saved_controller="${CONTROLLER:-}"; saved_registry="${REGISTRY:-}"
  fi
  kafka_port="${kafka_port:-$saved_kafka}"
  controller_port="${saved_controller}"
  registry_port="${registry_port:-$saved_registry}"
}

registry_running() {
  # the pid is ours only while its command line names this stack's database
  owns_pid "$registry_pid" "$dir/registry/"
}

registry_url() {
  echo "http://$host:$registry_port/apis/ccompat/v7"
}

registry_answers() {
  curl -fsS -o /dev/null --max-time 2 "$(registry_url)/subjects" 2>/dev/null
}

port_taken() {
  (exec 3<>"/dev/tcp/$host/$1") 2>/dev/null
}

fetch_registry() {
  if [[ ! -f "$registry_home/.complete" || "$here/pom.xml" -nt "$registry_home/.complete" ]]; then
    say "fetching Apicurio Registry from Maven Central into $registry_home (once)"
    rm -rf "$registry_home"
    mkdir -p "$registry_home"
    "$root/mvnw" -q -B -ntp -f "$here/pom.xml" dependency:unpack -Dregistry.lib.dir="$registry_home"
    touch "$registry_home/.complete"
  fi
}

start_registry() {
  if registry_running; then
    say "registry already running (pid $(cat "$registry_pid")) on $host:$registry_port"
    return 0
  fi
  if port_taken "$registry_port"; then
    die "something else listens on $host:$registry_port; give another --registry-port"
  fi
  fetch_registry
  local jar
  jar="$(ls "$registry_home"/*-runner.jar)"
  mkdir -p "$dir/registry"
  say "starting Apicurio Registry on $host:$registry_port (database: $dir/registry/, log: $registry_log)"
  # shellcheck disable=SC2086
  (cd "$registry_home" && exec nohup java ${REGISTRY_HEAP_OPTS:--Xmx512m} -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    -Dquarkus.http.host="$host" -Dquarkus.http.port="$registry_port" -Dquarkus.management.enabled=false \
    -Dapicurio.storage.kind=sql -Dapicurio.storage.sql.kind=h2 \
    -Dapicurio.datasource.url="jdbc:h2:file:$dir/registry/registry" \
    -Dapicurio.datasource.jdbc.initial-size=2 -Dapicurio.datasource.jdbc.min-size=2 \
    -jar "$jar" >"$registry_log" 2>&1) &
  echo $! > "$registry_pid"
  for _ in $(seq 1 240); do
    if registry_answers; then
      return 0
    fi
    if ! registry_running; then
      say "the registry stopped; the end of $registry_log:"
      tail -n 30 "$registry_log" >&2
      rm -f "$registry_pid"
      return 1
    fi
    sleep 0.5
  done
  say "the registry did not answer within 120 s; see $registry_log"
  return 1
}

stop_registry() {
  if ! registry_running; then
    rm -f "$registry_pid"
    say "registry not running"
    return 0
  fi
  local pid
  pid="$(cat "$registry_pid")"
  kill "$pid"
  for _ in $(seq 1 120); do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$registry_pid"
      say "registry stopped"
      return 0
    fi
    sleep 0.5
  done
  say "registry pid $pid did not stop within 60 s"
  return 1
}

start() {
  load_ports
  kafka_port="${kafka_port:-$(free_port)}"
  controller_port="${controller_port:-$(free_port)}"
  registry_port="${registry_port:-$(free_port)}"
  [[ "$kafka_port" != "$registry_port" ]] || die "--kafka-port and --registry-port are both $kafka_port"
  printf 'KAFKA=%s\nCONTROLLER=%s\nREGISTRY=%s\n' "$kafka_port" "$controller_port" "$registry_port" > "$ports_file"
  fetch_kafka
  kraft start
  start_registry
  cat > "$properties" <<PROPS
# written by deploy/local/stack.sh start; use with: bin/driftwatch <command> --config $properties
bootstrap.servers=$host:$kafka_port
schema.registry.url=$(registry_url)
PROPS
  echo "bootstrap.servers=$host:$kafka_port"
  echo "schema.registry.url=$(registry_url)"
  echo "config: $properties"
}

stop() {
  load_ports
  local failed=0
  stop_registry || failed=1
  if [[ -n "$kafka_port" ]]; then
    kraft stop || failed=1
  fi
  return "$failed"
}

status() {
  load_ports
  local up=0
  if registry_running; then
    say "registry running (pid $(cat "$registry_pid")): schema.registry.url=$(registry_url)"
    up=$((up + 1))
  else
    say "registry not running"
  fi
  if [[ -n "$kafka_port" ]] && kraft status; then
    up=$((up + 1))
  elif [[ -z "$kafka_port" ]]; then
    say "broker not running (never started in $dir)"
  fi
  [[ "$up" -eq 2 ]] && say "config: $properties"
  [[ "$up" -eq 2 ]] || return 3
}

case "$command" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  -h|--help) usage ;;
  *) die "unknown command '$command'; expected start, stop, status or a Kafka tool (kafka-topics, kafka-configs, ...)" ;;
esac
