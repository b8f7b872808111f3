"""A stand-in for a team's webhook endpoint in the demo: prints each DLQ Manager alert it receives, checking
its X-DLQ-Signature with the shared key (HMAC-SHA256 over "<timestamp>.<body>").

    python3 scripts/webhook_receiver.py PORT KEY
"""
import hashlib
import hmac
import http.server
import json
import sys
import threading

port, key = int(sys.argv[1]), sys.argv[2].encode()
# Requests are served on several threads; one line per alert needs the prints not to interleave.
output = threading.Lock()


class Receiver(http.server.BaseHTTPRequestHandler):
    # Keep-alive and no Nagle, like a production receiver: otherwise each alert pays a new connection and
    # delayed-ACK stalls, and the figure measures this script.
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        fields = dict(part.split("=", 1) for part in self.headers.get("X-DLQ-Signature", "").split(","))
        expected = hmac.new(key, fields.get("t", "").encode() + b"." + body, hashlib.sha256).hexdigest()
        verified = hmac.compare_digest(expected, fields.get("v1", ""))
        alert = json.loads(body)
        counts = alert.get("counts", {})
        line = (f"webhook: {alert['kind']} [{alert['severity']}] {alert['summary']} "
                f"(class {alert['error_class']}, {counts.get('events')} events, {counts.get('new')} new; "
                f"signature {'verified' if verified else 'INVALID'})")
        with output:
            print(line, flush=True)
        self.send_response(202 if verified else 401)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(("127.0.0.1", port), Receiver).serve_forever()
