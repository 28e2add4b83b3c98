#!/usr/bin/python3
"""Confluent's own Python client on the other side of driftwatch's serde.

Uses Debian's python3-confluent-kafka (librdkafka) and its Avro serializer
(confluent_kafka.avro, on python3-avro), against a real broker and a real schema registry.

  produce: writes COUNT InferenceEvents (the records of expected_event(i)) to TOPIC with
           Confluent's MessageSerializer, registering the schema under TOPIC-value; prints one
           JSON line per record with the hex of the bytes it produced.
  consume: reads COUNT records of TOPIC from the beginning and decodes them with Confluent's
           MessageSerializer; prints one JSON line per record: the decoded fields and the hex bytes.

Exit status 0 on success; anything unexpected raises and exits non-zero, with the reason on stderr.
"""
import argparse
import datetime
import json
import sys
import time

import avro.schema
from confluent_kafka import Consumer, KafkaError, Producer
from confluent_kafka.avro import CachedSchemaRegistryClient
from confluent_kafka.avro.serializer.message_serializer import MessageSerializer

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def expected_event(i):
    """The i-th record the Java test expects; keep in step with ConfluentPythonInteropIntegrationTest#pythonEvent."""
    return {
        "eventId": "py-%d" % i,
        "requestId": "req-%d" % i,
        "modelId": "ctr-ranker",
        "modelVersion": "v%d" % (i % 2),
        "role": ["PRIMARY", "SHADOW", "CANARY"][i % 3],
        "eventTime": EPOCH + datetime.timedelta(milliseconds=1717000000000 + i * 1000),
        "numericFeatures": {"age": 20.0 + i, "income": 1000.5 * i},
        "categoricalFeatures": {"country": "FR" if i % 2 == 0 else "DE"},
        "outputs": {"score": 0.1 * i, "label": None if i % 2 else "click", "confidence": None},
        "latencyMs": 5.0 + i,
        "tokensIn": None,
        "tokensOut": 10 * i,
        "cost": None,
        "errorCode": "TIMEOUT" if i == 2 else None,
        "segment": {"region": "eu-west"},
        "texts": {},
        "textTokens": {},
        "embeddings": {},
    }


def to_json(value):
    if isinstance(value, datetime.datetime):
        return int(round((value - EPOCH).total_seconds() * 1000))
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_json(v) for v in value]
    return value


def produce(args):
    registry = CachedSchemaRegistryClient({"url": args.registry})
    serializer = MessageSerializer(registry)
    schema = avro.schema.parse(open(args.schema).read())
    producer = Producer({"bootstrap.servers": args.bootstrap, "enable.idempotence": True})
    errors = []
    for i in range(args.count):
        value = serializer.encode_record_with_schema(args.topic, schema, expected_event(i), is_key=False)
        producer.produce(args.topic, key=("req-%d" % i).encode(), value=value,
                         on_delivery=lambda err, msg: err and errors.append(str(err)))
        print(json.dumps({"index": i, "hex": value.hex()}), flush=True)
    remaining = producer.flush(args.timeout)
    if remaining or errors:
        raise SystemExit("not delivered: %d left, errors %s" % (remaining, errors))


def consume(args):
    registry = CachedSchemaRegistryClient({"url": args.registry})
    serializer = MessageSerializer(registry)
    consumer = Consumer({"bootstrap.servers": args.bootstrap, "group.id": "confluent-python-interop",
                         "auto.offset.reset": "earliest", "enable.auto.commit": False})
    consumer.subscribe([args.topic])
    deadline = time.monotonic() + args.timeout
    seen = 0
    try:
        while seen < args.count:
            if time.monotonic() > deadline:
                raise SystemExit("timed out with %d of %d records" % (seen, args.count))
            msg = consumer.poll(1.0)
            if msg is None:
                continue
            if msg.error():
                if msg.error().code() == KafkaError._PARTITION_EOF:
                    continue
                raise SystemExit("consumer error: %s" % msg.error())
            record = serializer.decode_message(msg.value(), is_key=False)
            print(json.dumps({"hex": msg.value().hex(), "record": to_json(record)}), flush=True)
            seen += 1
    finally:
        consumer.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("mode", choices=["produce", "consume"])
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--registry", required=True)
    parser.add_argument("--topic", required=True)
    parser.add_argument("--count", type=int, default=3)
    parser.add_argument("--schema", help="writer schema (.avsc) for produce")
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args()
    produce(args) if args.mode == "produce" else consume(args)


if __name__ == "__main__":
    sys.exit(main())
