import Foundation
import Kafka
import Postgres
import Testing

/// Arrivals announced through the daemon's dispatcher to a real HTTP receiver: grouped, retried, never lost.
@Suite("Alert dispatch", .timeLimit(.minutes(5)))
struct AlertDispatchTests {
    private static let hmacKey = "test-hmac-key"

    private func startDaemon(_ harness: IngestHarness, url: String, groupWaitMilliseconds: Int = 200) throws -> DLQProcess {
        try harness.startDaemon([
            // A burst within `groupWaitMilliseconds` becomes one alert.
            "DLQ_CONFIG": IngestHarness.alertingConfiguration(url: url, alerting: ["group_wait_ms": groupWaitMilliseconds]),
            IngestHarness.hmacKeyVariable: Self.hmacKey,
        ])
    }

    private func deliveries(_ harness: IngestHarness, _ condition: String = "true") async throws -> [(status: String, attempts: Int32, lastStatus: Int32?)] {
        try await harness.database.query("""
            SELECT status, attempts, last_status FROM alert_deliveries WHERE \(unsafeRaw: condition) ORDER BY id
            """).map { row in
            (try row.decode(String.self, column: "status"), try row.decode(Int32.self, column: "attempts"), try row.decode(Int32?.self, column: "last_status"))
        }
    }

    private func json(_ request: RecordingHTTPServer.RecordedRequest) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any] ?? [:]
    }

    @Test("10,000 events of one fingerprint produce one trigger carrying the count")
    func stormOfOneFingerprint() async throws {
        let server = try await RecordingHTTPServer.start(default: .status(202))
        let harness = try await IngestHarness.make(partitions: 4)
        _ = try await harness.produce((0..<10_000).map { harness.springFailure(exceptionClass: "com.acme.PaymentDeclinedException", index: $0) })
        // Everything is in the topic before the daemon starts, so the whole storm lands within the group wait. The
        // wait is generous: with the whole suite running in parallel on two cores beside a fuzzer, storing 10,000
        // rows once took over 12 s.
        let daemon = try startDaemon(harness, url: server.url, groupWaitMilliseconds: 25_000)

        let requests = try await server.waitForRequests(count: 1, timeout: .seconds(60))
        try await eventually("the delivery is recorded") { try await deliveries(harness).first?.status == "delivered" }
        let counts = try json(requests[0])["counts"] as? [String: Any]
        #expect((counts?["events"] as? NSNumber)?.int64Value == 10_000)
        #expect((counts?["new"] as? NSNumber)?.int64Value == 10_000)
        #expect(try await deliveries(harness).count == 1)
        // Nothing else is due before the repeat interval: no second alert is coming.
        let pendingSoon = try await harness.database.query("""
            SELECT count(*) AS n FROM alert_outbox WHERE due_at < now() + interval '30 minutes'
            """).first?.decode(Int64.self, column: "n")
        #expect(pendingSoon == 0)
        #expect(server.requests().count == 1)

        daemon.signal(SIGTERM)
        _ = try await daemon.waitForExit()
        try await server.shutdown()
        await harness.database.drop()
    }

    @Test("50 distinct fingerprints produce 50 alerts")
    func fiftyFingerprints() async throws {
        let server = try await RecordingHTTPServer.start(default: .status(202))
        let harness = try await IngestHarness.make(partitions: 4)
        _ = try await harness.produce((0..<1_000).map { harness.springFailure(exceptionClass: "com.acme.Failure\($0 % 50)", index: $0) })
        let daemon = try startDaemon(harness, url: server.url, groupWaitMilliseconds: 3000)

        let requests = try await server.waitForRequests(count: 50, timeout: .seconds(60))
        try await eventually("50 deliveries are recorded") {
            try await deliveries(harness, "status = 'delivered'").count == 50
        }
        let fingerprints = Set(try requests.map { try json($0)["fingerprint"] as? String ?? "" })
        #expect(fingerprints.count == 50)
        #expect(try await deliveries(harness).count == 50)

        daemon.signal(SIGTERM)
        _ = try await daemon.waitForExit()
        try await server.shutdown()
        await harness.database.drop()
    }

    @Test("a sink answering 500 three times then 202 gets exactly one successful delivery")
    func retriesServerErrors() async throws {
        let server = try await RecordingHTTPServer.start(responses: [.status(500), .status(500), .status(500)], default: .status(202))
        let harness = try await IngestHarness.make(partitions: 1)
        _ = try await harness.produce([harness.springFailure(exceptionClass: "com.acme.Flaky", index: 1)])
        let daemon = try startDaemon(harness, url: server.url)

        try await eventually("the alert is delivered") { try await deliveries(harness).first?.status == "delivered" }
        let recorded = try await deliveries(harness)
        #expect(recorded.count == 1)
        #expect(recorded.first?.attempts == 4)
        #expect(server.requests().count == 4)
        // One notification: every attempt carries the same delivery id.
        #expect(Set(server.requests().compactMap { $0.header("X-DLQ-Delivery") }).count == 1)

        daemon.signal(SIGTERM)
        _ = try await daemon.waitForExit()
        try await server.shutdown()
        await harness.database.drop()
    }

    @Test("a 429 with Retry-After: 2 is not retried sooner")
    func honoursRetryAfter() async throws {
        let server = try await RecordingHTTPServer.start(responses: [.status(429, headers: [(name: "Retry-After", value: "2")])], default: .status(202))
        let harness = try await IngestHarness.make(partitions: 1)
        _ = try await harness.produce([harness.springFailure(exceptionClass: "com.acme.Throttled", index: 1)])
        let daemon = try startDaemon(harness, url: server.url)

        let requests = try await server.waitForRequests(count: 2, timeout: .seconds(60))
        #expect(requests[0].arrivedAt.duration(to: requests[1].arrivedAt) >= .seconds(2))
        try await eventually("the alert is delivered") { try await deliveries(harness).first?.status == "delivered" }

        daemon.signal(SIGTERM)
        _ = try await daemon.waitForExit()
        try await server.shutdown()
        await harness.database.drop()
    }

    @Test("a 400 is recorded as failed with the response and not retried")
    func clientErrorIsFinal() async throws {
        let server = try await RecordingHTTPServer.start(default: .status(400, body: "unknown routing key"))
        let harness = try await IngestHarness.make(partitions: 1)
        _ = try await harness.produce([harness.springFailure(exceptionClass: "com.acme.Misconfigured", index: 1)])
        let daemon = try startDaemon(harness, url: server.url)

        try await eventually("the delivery is final") { try await deliveries(harness).first?.status == "failed" }
        let recorded = try await deliveries(harness)
        #expect(recorded.first?.lastStatus == 400)
        #expect(recorded.first?.attempts == 1)
        let error = try await harness.database.query("SELECT last_error FROM alert_deliveries").first?.decode(String.self, column: "last_error")
        #expect(error?.contains("unknown routing key") == true)
        #expect(server.requests().count == 1)

        daemon.signal(SIGTERM)
        _ = try await daemon.waitForExit()
        try await server.shutdown()
        await harness.database.drop()
    }

    @Test("a sink down while the daemon is killed and restarted still receives the alert after the restart")
    func survivesRestartWhileSinkDown() async throws {
        // A port that refuses connections now, and a receiver that listens on it later.
        let port = try await RecordingHTTPServer.freePort()
        let url = "http://127.0.0.1:\(port)"
        let harness = try await IngestHarness.make(partitions: 1)
        _ = try await harness.produce([harness.springFailure(exceptionClass: "com.acme.Unheard", index: 1)])

        let first = try startDaemon(harness, url: url)
        try await eventually("a delivery attempt failed") {
            try await deliveries(harness, "status = 'pending' AND last_error IS NOT NULL").count == 1
        }
        first.signal(SIGKILL)
        _ = try await first.waitForExit()

        let server = try await RecordingHTTPServer.start(port: port, default: .status(202))
        let second = try startDaemon(harness, url: url)
        let requests = try await server.waitForRequests(count: 1, timeout: .seconds(90))
        #expect(try json(requests[0])["exception_class"] as? String == "com.acme.Unheard")
        try await eventually("the delivery is recorded") { try await deliveries(harness).first?.status == "delivered" }

        second.signal(SIGTERM)
        _ = try await second.waitForExit()
        try await server.shutdown()
        await harness.database.drop()
    }
}
