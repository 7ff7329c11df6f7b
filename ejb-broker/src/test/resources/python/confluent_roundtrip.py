"""Produces five records and consumes them back with confluent-kafka (librdkafka) over SASL_PLAINTEXT.

Usage: confluent_roundtrip.py BOOTSTRAP MECHANISM USER PASSWORD TOPIC; prints the values consumed, one a line.
"""
import sys
from confluent_kafka import Consumer, KafkaException, Producer

bootstrap, mechanism, user, password, topic = sys.argv[1:6]
login = {"bootstrap.servers": bootstrap, "security.protocol": "SASL_PLAINTEXT", "sasl.mechanism": mechanism,
         "sasl.username": user, "sasl.password": password}
failures = []
producer = Producer(dict(login, **{"acks": "all"}))
for i in range(5):
    producer.produce(topic, key=b"k", value=("librdkafka-%s-%d" % (mechanism, i)).encode(),
                     on_delivery=lambda err, msg: err and failures.append(err))
if producer.flush(30) != 0 or failures:
    sys.exit("not delivered: %s" % failures)
consumer = Consumer(dict(login, **{"group.id": "py-confluent-" + mechanism, "auto.offset.reset": "earliest"}))
consumer.subscribe([topic])
values = []
for _ in range(300):
    message = consumer.poll(0.2)
    if message is None:
        continue
    if message.error():
        raise KafkaException(message.error())
    values.append(message.value().decode())
    if len(values) == 5:
        break
consumer.close()
print("\n".join(values))
