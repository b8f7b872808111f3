import Foundation
import Testing

extension FaultSuite {
    /// Alert receivers that hang or refuse connections: ingest never waits for them, and every alert ends
    /// delivered or recorded as given up, with the reason.
    @Suite("Alert sink faults")
    struct AlertSinkFaults {
        /// Three error groups, so three alerts.
        private static let groups = 3

        /// Produces 3,000 dead letters in ``groups`` groups and starts a daemon alerting to `url`.
        private func start(_ harness: IngestHarness, url: String, maxAgeMilliseconds: Int = 3_600_000) async throws -> (produced: [IngestHarness.Coordinate: IngestHarness.Record], daemon: DLQProcess) {
            let produced = try await harness.produce((0..<3_000).map {
                harness.springFailure(exceptionClass: "com.acme.Failure\($0 % Self.groups)", index: $0)
            })
            let daemon = try harness.startAlertingDaemon(to: url, alerting: ["timeout_ms": 500, "max_age_ms": maxAgeMilliseconds])
            return (produced, daemon)
        }

        private func deliveries(_ harness: IngestHarness) async throws -> [(status: String, attempts: Int32, lastError: String?)] {
            try await harness.database.query("SELECT status, attempts, last_error FROM alert_deliveries ORDER BY id").map { row in
                (try row.decode(String.self, column: "status"), try row.decode(Int32.self, column: "attempts"), try row.decode(String?.self, column: "last_error"))
            }
        }

        @Test("a receiver that hangs: attempts time out, and each alert is delivered once it answers")
        func hangingReceiver() async throws {
            let report = FaultReport("webhook receiver hanging (never answers)")
            let hangs = 4
            let server = try await RecordingHTTPServer.start(responses: Array(repeating: .noAnswer, count: hangs), default: .status(202))
            let harness = try await IngestHarness.make()
            let (produced, daemon) = try await start(harness, url: server.url)
            report.injected("the receiver reads the first \(hangs) requests and never answers; the sink's timeout is 500 ms")

            _ = try await server.waitForRequests(count: hangs + Self.groups, timeout: .seconds(60))
            try await eventually("every alert is delivered") {
                try await deliveries(harness).allSatisfy { $0.status == "delivered" }
            }
            let recorded = try await deliveries(harness)
            let requests = server.requests()
            #expect(recorded.count == Self.groups)
            #expect(recorded.map(\.attempts).reduce(0, +) == Int32(hangs + Self.groups))
            #expect(daemon.log().contains("no response within 0.5 seconds"))
            // Every request after the hanging ones was answered, so each alert arrived exactly once: a timed-out
            // attempt may have been read, but it was never acknowledged.
            let answered = Set(try requests.dropFirst(hangs).map { try fingerprint(of: $0) })
            #expect(answered.count == Self.groups && requests.count - hangs == Self.groups)
            report.verified("\(Self.groups) alerts delivered after \(recorded.map(\.attempts).reduce(0, +)) attempts; each timeout logged as \"no response within 0.5 seconds\" and retried")

            try await harness.expectEverythingStored(produced, daemon: daemon, report: report)
            report.verified("ingest never waited on the receiver")
            report.print()
            try await server.shutdown()
            await harness.database.drop()
        }

        @Test("a receiver refusing connections past the delivery deadline: each alert is recorded as given up")
        func refusingReceiver() async throws {
            let report = FaultReport("webhook receiver refusing connections")
            try await RefusingPort.with { port in
                let harness = try await IngestHarness.make()
                let (produced, daemon) = try await start(harness, url: "http://127.0.0.1:\(port)", maxAgeMilliseconds: 2_000)
                report.injected("nothing listens on the sink's port (connection refused); alerting.max_age_ms is 2,000")

                try await eventually("every alert is given up") {
                    let recorded = try await deliveries(harness)
                    return recorded.count == Self.groups && recorded.allSatisfy { $0.status == "given_up" }
                }
                let recorded = try await deliveries(harness)
                #expect(recorded.allSatisfy { ($0.lastError ?? "").contains("Connection refused") }, "\(recorded)")
                report.verified("\(Self.groups) alerts recorded as given_up after \(recorded.map(\.attempts).reduce(0, +)) attempts, each with \"Connection refused\"")

                try await harness.expectEverythingStored(produced, daemon: daemon, report: report)
                report.verified("ingest never waited on the receiver")
                await harness.database.drop()
            }
            report.print()
        }

        private func fingerprint(of request: RecordingHTTPServer.RecordedRequest) throws -> String {
            let json = try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any]
            return json?["fingerprint"] as? String ?? ""
        }
    }
}
