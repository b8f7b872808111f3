"""A minimal OTLP/HTTP receiver for benchmarks: accepts POST /v1/traces, counts spans, answers 200.

    python3 scripts/otlp_sink.py PORT COUNT_FILE
"""
import http.server
import json
import sys

port, count_file = int(sys.argv[1]), sys.argv[2]
spans = 0


class Sink(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        global spans
        body = self.rfile.read(int(self.headers["Content-Length"]))
        for resource in json.loads(body).get("resourceSpans", []):
            for scope in resource.get("scopeSpans", []):
                spans += len(scope.get("spans", []))
        with open(count_file, "w") as f:
            f.write(str(spans))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(("127.0.0.1", port), Sink).serve_forever()
