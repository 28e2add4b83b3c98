#!/usr/bin/env bash
# The README's cluster recipe (its tour, step 4 "On a cluster"), command for command, on this machine: a local stack
# (deploy/local/stack.sh), the pipeline, baselines, sample traffic with a drift, a replay, and the alerts
# read back; then everything stopped. Exits non-zero when a step fails, when the alerts are not the
# expected ones (FIRING for the drifting version 1.5.0, none for 1.4.0), or when a process is left over.
# Free ports and a temporary folder; cleans up on failure too. CI runs it (.ci/run).
# DocumentationTest (streams) checks that the README shows exactly the commands announced by `step` below.
#
#   deploy/local/recipe.sh            KEEP=1 keeps the temporary folder (logs) for a look afterwards
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
work="$(mktemp -d "${TMPDIR:-/tmp}/driftwatch-recipe.XXXXXX")"
stack_dir="$work/stack"
config="$stack_dir/driftwatch.properties"
run_pid=""
# What sample writes with its defaults (--seed 42, 10 windows, drift from window 5): analyze finds these
# alerts in it, and the pipeline must write the same ones.
expected_alerts="${EXPECTED_ALERTS:-5}"

say() { echo "recipe: $*" >&2; }

cleanup() {
  local status=$?
  set +e
  if [[ -n "$run_pid" ]] && kill -0 "$run_pid" 2>/dev/null; then
    kill "$run_pid"
    for _ in $(seq 1 60); do kill -0 "$run_pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$run_pid" 2>/dev/null && { say "driftwatch run did not stop; killing it"; kill -9 "$run_pid"; }
  fi
  deploy/local/stack.sh stop --dir "$stack_dir" >/dev/null 2>&1 || status=1
  local left
  left="$(pgrep -f "$work" || true)"
  if [[ -n "$left" ]]; then
    say "left over after stop: $(ps -o pid=,args= -p "$(echo "$left" | paste -sd,)" | cut -c1-160)"
    kill $left 2>/dev/null
    status=1
  fi
  if [[ "$status" -ne 0 ]]; then
    say "FAILED (status $status); the end of the logs:"
    for log in "$work/run.log" "$stack_dir/registry.log" "$stack_dir/kafka/kafka.log"; do
      [[ -f "$log" ]] && { echo "--- $log" >&2; tail -n 25 "$log" >&2; }
    done
  fi
  if [[ "${KEEP:-}" == 1 ]]; then say "kept $work"; else rm -rf "$work"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

bin/driftwatch --version >/dev/null # builds the CLI once; not part of the recipe's time
began=$(date +%s)
step() { say "[$(( $(date +%s) - began )) s] \$ $*"; }

# 1. the stack
step deploy/local/stack.sh start
deploy/local/stack.sh start --dir "$stack_dir"

# 2. the pipeline, in the background (its own HTTP port and state folder, so that nothing else is touched)
http_port="$(free_port)"
step bin/driftwatch run --create-topics --config "$config" '&'
DRIFTWATCH_HTTP_PORT="$http_port" DRIFTWATCH_STATE_DIR="$work/streams-state" \
  bin/driftwatch run --create-topics --config "$config" >"$work/run.log" 2>&1 &
run_pid=$!
ready() { curl -fsS --max-time 2 "http://127.0.0.1:$http_port/health/ready" 2>/dev/null; }
for _ in $(seq 1 360); do
  ready >/dev/null && break
  kill -0 "$run_pid" 2>/dev/null || { say "driftwatch run exited"; exit 1; }
  sleep 0.5
done
ready >/dev/null || { say "driftwatch run was not ready within 180 s"; exit 1; }
say "ready: $(ready)"

# 3. sample traffic and its baselines; the baselines published
step bin/driftwatch sample --output traffic.avro --baselines baselines.json --window-size PT5M
bin/driftwatch sample --output "$work/traffic.avro" --baselines "$work/baselines.json" --window-size PT5M
step bin/driftwatch baseline --from-json baselines.json --config "$config"
bin/driftwatch baseline --from-json "$work/baselines.json" --config "$config" | tail -n 1

# 4. the traffic replayed, its last windows closed
step bin/driftwatch replay --input traffic.avro --close-windows --config "$config"
bin/driftwatch replay --input "$work/traffic.avro" --close-windows --config "$config"

# every baseline decodes: still ready, and /status lists no unreadable baseline
ready >/dev/null || { say "not ready after the baselines: $(curl -sS "http://127.0.0.1:$http_port/health/ready")"; exit 1; }
unreadable="$(curl -fsS "http://127.0.0.1:$http_port/status" | python3 -c '
import json, sys
print(sum(1 for p in json.load(sys.stdin).get("baselineProblems", []) if p.get("problem") == "unreadable"))')"
[[ "$unreadable" == 0 ]] || { say "/status lists $unreadable unreadable baselines"; exit 1; }

# 5. the alerts
check_alerts() { # lines on stdin: the expected count, FIRING for 1.5.0 only
  local lines firing
  lines="$(cat)"
  echo "$lines"
  firing="$(grep -c 'FIRING' <<<"$lines" || true)"
  if [[ "$firing" -lt 1 ]] || ! grep 'FIRING' <<<"$lines" | grep -q '1\.5\.0' || grep -q '1\.4\.0' <<<"$lines"; then
    say "expected FIRING alerts of ctr-model 1.5.0 and none of 1.4.0"
    return 1
  fi
  say "$firing FIRING alerts, all of the drifting version 1.5.0"
}
step bin/driftwatch alerts --max "$expected_alerts" --timeout 120s --config "$config"
bin/driftwatch alerts --max "$expected_alerts" --timeout 120s --config "$config" | check_alerts

# 6. stop
step kill '%1'
kill "$run_pid"
wait "$run_pid" || true
run_pid=""
step deploy/local/stack.sh stop
deploy/local/stack.sh stop --dir "$stack_dir"
say "recipe done in $(( $(date +%s) - began )) s (build excluded)"
