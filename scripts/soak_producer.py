"""Steady load for scripts/bench-soak: produces dead letters at RATE per second for SECONDS to TOPIC.

Spring Kafka dead letters (kafka_dlt-* headers) with ~1 KB values; every 500th event opens a new error group, so
alerts keep flowing. Paced per 100 ms slice; prints one line per second to stderr if it falls behind.

    python3 scripts/soak_producer.py BOOTSTRAP TOPIC RATE SECONDS
"""
import sys
import time

from confluent_kafka import Producer

bootstrap, topic, rate, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
producer = Producer({"bootstrap.servers": bootstrap, "linger.ms": 20, "enable.idempotence": True})
comment = "Leave at the side door, ring twice. " * 25
start = time.time()
sent = 0
slice_size = max(1, rate // 10)
while time.time() - start < seconds:
    due = start + sent / rate
    now = time.time()
    if due > now:
        time.sleep(due - now)
    for _ in range(slice_size):
        group = sent // 500
        value = f'{{"orderId":{sent},"customerId":"cust-{sent % 997}","comment":"{comment}"}}'.encode()
        headers = [
            ("kafka_dlt-original-topic", b"orders"),
            ("kafka_dlt-original-partition", (sent % 64).to_bytes(4, "big")),
            ("kafka_dlt-original-offset", sent.to_bytes(8, "big")),
            ("kafka_dlt-exception-fqcn", f"com.acme.orders.Failure{group}Exception".encode()),
            ("kafka_dlt-exception-message", f"Order {sent} failed: stock service said no".encode()),
            ("kafka_dlt-original-consumer-group", b"order-service"),
        ]
        while True:
            try:
                producer.produce(topic, key=f"order-{sent}".encode(), value=value, headers=headers)
                break
            except BufferError:
                producer.poll(0.05)
        sent += 1
    producer.poll(0)
producer.flush()
print(sent)
