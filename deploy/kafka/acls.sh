#!/usr/bin/env bash
# Kafka ACLs for driftwatch on a cluster with an authorizer (Kafka 3.x and 4.x kafka-acls.sh syntax).
# Anyone who can write to the control topic can mute alerts or change the alert policy, so only the
# operators' principal may write to it; driftwatch's own principal reads its inputs and the control
# topic, writes its outputs, and owns its internal topics, consumer group and transactional ids.
#
#   deploy/kafka/acls.sh            add the ACLs (needs kafka-acls.sh on PATH, or KAFKA_ACLS=/path/to/it)
#   PRINT_ONLY=1 deploy/kafka/acls.sh   print the commands instead of running them
#
# Settings (environment), with their defaults:
#   BOOTSTRAP (127.0.0.1:9092), COMMAND_CONFIG (none: a client .properties file with the admin's
#   SASL/SSL settings), DRIFTWATCH_PRINCIPAL (User:driftwatch), OPERATOR_PRINCIPAL (User:driftwatch-operator),
#   APPLICATION_ID (driftwatch: the application.id of the instances), and the topic names of the
#   configuration: EVENTS_TOPIC, OUTCOMES_TOPIC, BASELINES_TOPIC, CONTROL_TOPIC, CONTROL_RESULTS_TOPIC,
#   OUTPUT_TOPICS (space-separated: window stats, alerts, DLQ, business metrics, service levels,
#   role comparisons, review).
set -euo pipefail

bootstrap="${BOOTSTRAP:-127.0.0.1:9092}"
app="${DRIFTWATCH_PRINCIPAL:-User:driftwatch}"
operator="${OPERATOR_PRINCIPAL:-User:driftwatch-operator}"
app_id="${APPLICATION_ID:-driftwatch}"
events="${EVENTS_TOPIC:-inference-events}"
outcomes="${OUTCOMES_TOPIC:-outcome-events}"
baselines="${BASELINES_TOPIC:-driftwatch-baselines}"
control="${CONTROL_TOPIC:-driftwatch-control}"
control_results="${CONTROL_RESULTS_TOPIC:-driftwatch-control-results}"
outputs="${OUTPUT_TOPICS:-driftwatch-window-stats driftwatch-alerts driftwatch-dlq driftwatch-business-metrics driftwatch-service-levels driftwatch-role-comparisons driftwatch-review}"
acls="${KAFKA_ACLS:-kafka-acls.sh}"

acl() {
  local cmd=("$acls" --bootstrap-server "$bootstrap")
  if [[ -n "${COMMAND_CONFIG:-}" ]]; then
    cmd+=(--command-config "$COMMAND_CONFIG")
  fi
  cmd+=(--add "$@")
  if [[ -n "${PRINT_ONLY:-}" ]]; then
    echo "${cmd[*]}"
  else
    "${cmd[@]}"
  fi
}

# driftwatch: read the inputs and the control topic
for topic in "$events" "$outcomes" "$control"; do
  acl --allow-principal "$app" --operation Read --operation Describe --topic "$topic"
done
# driftwatch: read the baselines and write the ones CAPTURE_BASELINE builds
acl --allow-principal "$app" --operation Read --operation Write --operation Describe --topic "$baselines"
# driftwatch: write the outputs
for topic in "$control_results" $outputs; do
  acl --allow-principal "$app" --operation Write --operation Describe --topic "$topic"
done
# driftwatch: its internal topics (<application.id>-...-changelog, -repartition), its consumer group
# and its transactional ids (exactly_once_v2) all start with the application id
acl --allow-principal "$app" --operation All --resource-pattern-type prefixed --topic "$app_id-"
acl --allow-principal "$app" --operation Read --operation Describe --group "$app_id"
acl --allow-principal "$app" --operation Write --operation Describe --resource-pattern-type prefixed \
    --transactional-id "$app_id-"
# The prefix grant above also matches driftwatch-control when application.id=driftwatch (the default):
# a DENY, which wins over every ALLOW, keeps driftwatch itself from writing commands.
acl --deny-principal "$app" --operation Write --topic "$control"

# operators: write commands and read their answers (driftwatch ctl), publish baselines (driftwatch baseline)
acl --allow-principal "$operator" --operation Write --operation Describe --topic "$control"
acl --allow-principal "$operator" --operation Read --operation Describe --topic "$control_results"
acl --allow-principal "$operator" --operation Write --operation Describe --topic "$baselines"
# operators' replays: driftwatch replay publishes in transactions named driftwatch-replay-<topic>-<hash>
acl --allow-principal "$operator" --operation Write --operation Describe --resource-pattern-type prefixed \
    --transactional-id driftwatch-replay-
