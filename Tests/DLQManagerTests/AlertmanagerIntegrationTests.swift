import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The Alertmanager sink against a real Alertmanager: its own API shows the alert, then shows it ended.
@Suite("Alertmanager integration", .timeLimit(.minutes(3)))
struct AlertmanagerIntegrationTests {
    @Test("an arrival is listed by Alertmanager with the expected labels, and ends when the group is resolved")
    func alertAppearsAndEnds() async throws {
        let alertmanager = try AlertmanagerServer(port: try await RecordingHTTPServer.freePort())
        defer { alertmanager.stop() }
        try await alertmanager.waitUntilReady()

        let harness = try await IngestHarness.make(topic: "payments.dlq", partitions: 1)
        _ = try await harness.produce([harness.springFailure(exceptionClass: "com.acme.LedgerUnavailableException", index: 7)])
        let configuration = IngestHarness.writeConfiguration("""
            alerting:
              group_wait_ms: 0
              poll_interval_ms: 200
              sinks:
                - name: am
                  type: alertmanager
                  url: \(alertmanager.url)
            """)
        let environment = harness.environment(["DLQ_CONFIG": configuration])
        let daemon = try DLQProcess(["ingest"], environment: environment)

        var alert: [String: Any] = [:]
        try await eventually("Alertmanager lists the alert") {
            guard let found = try await alertmanager.alerts().first else { return false }
            alert = found
            return true
        }
        let labels = alert["labels"] as? [String: String] ?? [:]
        #expect(labels["alertname"] == "DeadLetters")
        #expect(labels["dlq_topic"] == "payments.dlq")
        #expect(labels["original_topic"] == "orders")
        #expect(labels["error_class"] == "unclassified")
        let fingerprint = try #require(labels["fingerprint"])
        let stored = try await harness.database.query("SELECT fingerprint FROM error_groups").first?.decode(String.self, column: "fingerprint")
        #expect(fingerprint == stored)

        let resolve = try await DLQProcess.run(["groups", "resolve", String(fingerprint.prefix(10))], environment: environment)
        #expect(resolve.status == 0, "\(resolve.log)")
        try await eventually("the alert has ended") {
            let alerts = try await alertmanager.alerts()
            guard let current = alerts.first(where: { ($0["labels"] as? [String: String])?["fingerprint"] == fingerprint }) else {
                return true
            }
            return (current["status"] as? [String: Any])?["state"] as? String == "resolved"
        }

        daemon.signal(SIGTERM)
        _ = try await daemon.waitForExit()
        await harness.database.drop()
    }
}
