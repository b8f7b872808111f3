"""Arrival-to-delivery latency of alerts, driven by scripts/bench-alerts (which starts the daemon).

Produces dead letters at a steady rate; every tenth event opens a new error group (a new exception class),
the others repeat an existing group and fold into it. A webhook receiver in this process records when each
group's first alert arrives. Latency = receipt of the alert - send time of the group's first dead letter.
"""
import http.server
import json
import sys
import threading
import time

from confluent_kafka import Producer

bootstrap, topic, port, rate, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
arrivals = {}
lock = threading.Lock()


class Receiver(http.server.BaseHTTPRequestHandler):
    # Keep-alive and no Nagle, like a production receiver: otherwise each alert pays a new connection and
    # delayed-ACK stalls, and the figure measures this script.
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        received = time.time()
        exception_class = json.loads(body).get("exception_class")
        with lock:
            arrivals.setdefault(exception_class, received)
        self.send_response(202)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Receiver)
threading.Thread(target=server.serve_forever, daemon=True).start()
producer = Producer({"bootstrap.servers": bootstrap, "linger.ms": 1})


def dead_letter(exception_class, index):
    producer.produce(topic, key=f"k{index}", value=json.dumps({"orderId": index}), headers=[
        ("kafka_dlt-original-topic", b"orders"),
        ("kafka_dlt-exception-fqcn", exception_class.encode()),
        ("kafka_dlt-exception-message", f"Card declined for order {index}".encode()),
    ])
    producer.poll(0)


def wait_for(exception_classes, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        with lock:
            if all(c in arrivals for c in exception_classes):
                return True
        time.sleep(0.01)
    return False


# Warm-up: the daemon's consumer group join takes a few seconds on the mock cluster; not part of the figure.
dead_letter("com.acme.Warmup", -1)
producer.flush()
if not wait_for(["com.acme.Warmup"], 60):
    sys.exit("bench_alerts: the warm-up alert never arrived")

sent = {}
total = rate * seconds
start = time.time()
for index in range(total):
    target = start + index / rate
    delay = target - time.time()
    if delay > 0:
        time.sleep(delay)
    group = index // 10
    exception_class = f"com.acme.BenchFailure{group}"
    if index % 10 == 0:
        sent[exception_class] = time.time()
    dead_letter(exception_class, index)
producer.flush()
elapsed = time.time() - start
complete = wait_for(list(sent), 60)

with lock:
    latencies = sorted((arrivals[c] - t) * 1000 for c, t in sent.items() if c in arrivals)
if not latencies:
    sys.exit("bench_alerts: no alert arrived")


def percentile(p):
    return latencies[min(len(latencies) - 1, int(round(p / 100 * (len(latencies) - 1))))]


print(f"alert latency benchmark: {total} dead letters at {total / elapsed:.0f}/s, {len(sent)} new groups, group wait 0")
print(f"  alerts received: {len(latencies)} of {len(sent)}{'' if complete else ' (INCOMPLETE)'}")
print(f"  arrival-to-delivery latency: p50 {percentile(50):.1f} ms, p99 {percentile(99):.1f} ms, max {latencies[-1]:.1f} ms (goal: p99 < 500 ms)")
server.shutdown()
