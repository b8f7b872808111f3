import Foundation
import Postgres
import Testing

extension IngestHarness {
    /// Starts a daemon that alerts every error group to the webhook receiver at `url` at once
    /// (``alertingConfiguration(url:alerting:extra:)``), so that a fault test can check the alerts as well as the rows.
    func startAlertingDaemon(to url: String, alerting overrides: [String: Int] = [:], environment extra: [String: String] = [:]) throws -> DLQProcess {
        try startDaemon([
            "DLQ_CONFIG": Self.alertingConfiguration(url: url, alerting: ["group_wait_ms": 100].merging(overrides) { $1 }),
            Self.hmacKeyVariable: "fault-suite-key",
        ].merging(extra) { $1 })
    }

    /// Waits until at least `count` rows are stored (the daemon is mid-stream) and returns how many.
    func storedWhen(atLeast count: Int64) async throws -> Int64 {
        var stored: Int64 = 0
        try await eventually("\(count) rows are stored") {
            stored = try await database.count()
            return stored >= count
        }
        return stored
    }

    /// Waits until `daemon` stored all of `produced`, committed every offset and, given the `receiver` it alerts
    /// to, settled every alert; then stops it with SIGTERM. Checks that it exits 0, that the stored set equals
    /// the produced set byte for byte, and that every error group was announced to the receiver by one alert.
    /// Says so in `report`, when given.
    func expectEverythingStored(
        _ produced: [Coordinate: Record],
        daemon: DLQProcess,
        alertsTo receiver: RecordingHTTPServer? = nil,
        report: FaultReport? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        try await eventually("rows stored", reaches: Int64(produced.count)) { try await database.count() }
        try await eventually("the group committed every offset") { try await groupCommittedEverything() }
        if let receiver {
            // Later arrivals of an announced group wait in the outbox for the repeat interval (an hour here):
            // settled means every group announced and no delivery pending.
            try await eventually("every alert is settled") {
                try await count("""
                    SELECT (SELECT count(*) FROM error_groups WHERE last_alerted_at IS NULL)
                         + (SELECT count(*) FROM alert_deliveries WHERE status = 'pending')
                    """) == 0
            }
            let groups = try await count("SELECT count(*) FROM error_groups")
            let deliveredGroups = try await count("SELECT count(DISTINCT fingerprint) FROM alert_deliveries WHERE status = 'delivered'")
            // Delivery is at least once: a fault between sending and recording repeats a delivery, under the same
            // X-DLQ-Delivery id for the receiver to drop. One alert per group means one delivery id per group.
            var deliveryIDs: [String: Set<String>] = [:]
            for request in receiver.requests() {
                let json = try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any]
                deliveryIDs[json?["fingerprint"] as? String ?? "", default: []].insert(request.header("X-DLQ-Delivery") ?? "")
            }
            #expect(groups > 0 && deliveredGroups == groups, "every group's alert delivered", sourceLocation: sourceLocation)
            #expect(deliveryIDs.count == groups, sourceLocation: sourceLocation)
            #expect(deliveryIDs.values.allSatisfy { $0.count == 1 }, "one alert per group", sourceLocation: sourceLocation)
            report?.verified("every error group's alert delivered, one per group (\(deliveredGroups) groups)")
        }
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0, "log:\n\(daemon.log())", sourceLocation: sourceLocation)
        #expect(try await storedRecords() == produced, sourceLocation: sourceLocation)
        report?.verified("stored set equals produced set: \(produced.count) rows, byte-exact; every offset committed; exit 0 on SIGTERM")
    }

    private func count(_ sql: String) async throws -> Int64 {
        try await database.query(PostgresQuery(unsafeSQL: sql))[0].decode(Int64.self, column: 0)
    }
}
