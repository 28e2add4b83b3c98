# Writes Samples.inferenceEvent() with Confluent's Python Avro serializer (schema id 1234) and prints the bytes in hex.
import json, sys, datetime
from confluent_kafka.avro.serializer.message_serializer import MessageSerializer
import avro.schema
schema = avro.schema.parse(open(sys.argv[1]).read())
class Stub:
    auto_register_schemas = True
    def register(self, subject, schema): return 1234
    def get_by_id(self, i): return schema
ms = MessageSerializer(Stub())
rec = {"eventId":"evt-1","requestId":"req-1","modelId":"ctr-ranker","modelVersion":"v7","role":"CANARY",
 "eventTime": datetime.datetime.fromtimestamp(1717000000.123, tz=datetime.timezone.utc),
 "numericFeatures":{"age":42.5},"categoricalFeatures":{"country":"FR"},
 "outputs":{"score":0.73,"label":"click","confidence":0.9},"latencyMs":12.5,"tokensIn":100,"tokensOut":20,"cost":0.0021,"errorCode":None,"segment":{"region":"eu-west"}}
b = ms.encode_record_with_schema("inference-events", schema, rec)
print(b.hex())
print(ms.decode_message(b))
