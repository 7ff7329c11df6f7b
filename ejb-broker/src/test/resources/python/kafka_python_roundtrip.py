"""Produces five records and consumes them back with kafka-python over SASL_PLAINTEXT.

Usage: kafka_python_roundtrip.py BOOTSTRAP MECHANISM USER PASSWORD TOPIC; prints the values consumed, one a line.
"""
import sys
from kafka import KafkaConsumer, KafkaProducer

bootstrap, mechanism, user, password, topic = sys.argv[1:6]
login = dict(bootstrap_servers=bootstrap, security_protocol="SASL_PLAINTEXT", sasl_mechanism=mechanism,
             sasl_plain_username=user, sasl_plain_password=password)
producer = KafkaProducer(acks="all", **login)
for i in range(5):
    producer.send(topic, key=b"k", value=("kafka-python-%s-%d" % (mechanism, i)).encode()).get(timeout=30)
producer.close()
consumer = KafkaConsumer(topic, group_id="py-kafka-" + mechanism, auto_offset_reset="earliest",
                         consumer_timeout_ms=30000, **login)
values = []
for message in consumer:
    values.append(message.value.decode())
    if len(values) == 5:
        break
consumer.close()
print("\n".join(values))
