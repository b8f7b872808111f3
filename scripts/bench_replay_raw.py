"""The raw pipeline scripts/bench-replay compares `dlq replay` with: reads PostgreSQL's binary COPY of
(key, value) rows on standard input and produces each row with a plain idempotent librdkafka producer.
No bookkeeping of any kind: this is what a one-off script would do.

    psql -c "COPY (SELECT key, value ...) TO STDOUT WITH (FORMAT binary)" | python3 bench_replay_raw.py BOOTSTRAP TOPIC
"""
import struct
import sys

from confluent_kafka import Producer

bootstrap, topic = sys.argv[1], sys.argv[2]
producer = Producer({
    "bootstrap.servers": bootstrap,
    "enable.idempotence": True,
    "linger.ms": 5,
    "partitioner": "murmur2_random",
    "queue.buffering.max.messages": 1000000,
})
failed = 0


def report(error, _message):
    global failed
    if error is not None:
        failed += 1


data = sys.stdin.buffer.read()
position = 11 + 4 + 4  # signature, flags, header extension length
count = 0
while True:
    (fields,) = struct.unpack_from(">h", data, position)
    position += 2
    if fields == -1:
        break
    row = []
    for _ in range(fields):
        (length,) = struct.unpack_from(">i", data, position)
        position += 4
        if length < 0:
            row.append(None)
        else:
            row.append(data[position:position + length])
            position += length
    while True:
        try:
            producer.produce(topic, key=row[0], value=row[1], on_delivery=report)
            break
        except BufferError:
            producer.poll(0.05)
    count += 1
    if count % 10000 == 0:
        producer.poll(0)
producer.flush()
if failed:
    sys.exit(f"{failed} of {count} records failed")
print(count)
