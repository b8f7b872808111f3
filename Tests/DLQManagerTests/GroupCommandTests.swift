import DLQCore
import DLQManager
import Foundation
import Postgres
import Testing

/// `dlq groups`, `dlq reclassify` and `dlq alerts test`, run as an operator runs them.
@Suite("Groups, reclassify and alert tests")
struct GroupCommandTests {
    /// Stores three declined payments (one group) and one schema failure, classified with no rules.
    private func storeFailures(in database: TestDatabase) async throws {
        let letters = [
            ("com.acme.PaymentDeclinedException", "Card declined for order 1"),
            ("com.acme.PaymentDeclinedException", "Card declined for order 2"),
            ("com.acme.PaymentDeclinedException", "Card declined for order 3"),
            ("org.apache.kafka.common.errors.SerializationException", "Unknown magic byte"),
        ].enumerated().map { index, failure in
            ClassifiedDeadLetter(
                DeadLetter(
                    coordinate: DLQCoordinate(topic: "orders.dlq", partition: 0, offset: Int64(index)),
                    key: nil, value: Array("{}".utf8), headers: [], kafkaTimestamp: nil, format: .spring,
                    originalTopic: "orders", exceptionClass: failure.0, errorMessage: failure.1
                ),
                classifier: Classifier(rules: [])
            )
        }
        try await database.storeArrivals(letters)
    }

    private let rules = IngestHarness.writeConfiguration("""
        classification:
          rules:
            - name: declined
              match: {exception_class: '.*PaymentDeclinedException'}
              class: business
              severity: warning
              action: notify
        """)

    @Test("groups fold messages that differ only in ids, most recently active first")
    func groupsFold() async throws {
        let database = try await TestDatabase.create()
        try await storeFailures(in: database)
        let result = try await DLQProcess.run(["groups", "--json"], environment: ["DLQ_DATABASE_URL": database.url])
        let groups = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [[String: Any]] ?? []
        #expect(groups.count == 2)
        let declined = groups.first { $0["exception_class"] as? String == "com.acme.PaymentDeclinedException" }
        #expect((declined?["event_count"] as? NSNumber)?.intValue == 3)
        #expect(declined?["message_pattern"] as? String == "Card declined for order <num>")
        await database.drop()
    }

    @Test("reclassify --dry-run reports the change and changes nothing; reclassify applies it to events and groups")
    func reclassify() async throws {
        let database = try await TestDatabase.create()
        try await storeFailures(in: database)
        let environment = ["DLQ_DATABASE_URL": database.url, "DLQ_CONFIG": rules]

        let dryRun = try await DLQProcess.run(["reclassify", "--dry-run"], environment: environment)
        #expect(dryRun.output.contains("would reclassify 3 dead letters"), "\(dryRun.output)\(dryRun.log)")
        #expect(try await database.count("error_class = 'business'") == 0)

        #expect(try await database.query("SELECT count(*) FROM audit_log")[0].decode(Int64.self, column: 0) == 0)
        let applied = try await DLQProcess.run(["reclassify", "--reason", "new business rule"], environment: environment)
        #expect(applied.status == 0, "\(applied.log)")
        #expect(try await database.count("error_class = 'business'") == 3)
        let audit = try await database.query("SELECT action, reason, event_count FROM audit_log")
        #expect(audit.count == 1)
        #expect(try audit.first?.decode(String.self, column: "action") == "reclassify")
        #expect(try audit.first?.decode(String?.self, column: "reason") == "new business rule")
        #expect(try audit.first?.decode(Int64?.self, column: "event_count") == 3)
        let group = try await database.query("SELECT error_class, action FROM error_groups WHERE event_count = 3").first
        #expect(try group?.decode(String.self, column: "error_class") == "business")
        #expect(try group?.decode(String.self, column: "action") == "notify")
        await database.drop()
    }

    @Test("a resolved group that fails again is regressed")
    func regression() async throws {
        let database = try await TestDatabase.create()
        try await storeFailures(in: database)
        let fingerprint = try await database.query("SELECT fingerprint FROM error_groups WHERE event_count = 3").first?.decode(String.self, column: "fingerprint")
        let resolve = try await DLQProcess.run(["groups", "resolve", try #require(fingerprint)], environment: ["DLQ_DATABASE_URL": database.url])
        #expect(resolve.output.contains("resolved 3 dead letters"))
        #expect(try await database.count("status = 'resolved'") == 3)

        // The same failure again, at new offsets.
        let again = ClassifiedDeadLetter(
            DeadLetter(
                coordinate: DLQCoordinate(topic: "orders.dlq", partition: 0, offset: 100), key: nil, value: nil,
                headers: [], kafkaTimestamp: nil, format: .spring, originalTopic: "orders",
                exceptionClass: "com.acme.PaymentDeclinedException", errorMessage: "Card declined for order 99"
            ),
            classifier: Classifier(rules: [])
        )
        try await database.storeArrivals([again])
        let group = try await database.query("SELECT status, unresolved_count FROM error_groups WHERE fingerprint = \(fingerprint)").first
        #expect(try group?.decode(String.self, column: "status") == "regressed")
        #expect(try group?.decode(Int64.self, column: "unresolved_count") == 1)
        await database.drop()
    }

    @Test("alerts test sends one test alert through the named sink and records it")
    func alertsTest() async throws {
        let database = try await TestDatabase.create()
        let server = try await RecordingHTTPServer.start(default: .status(202))
        let configuration = IngestHarness.writeConfiguration("""
            alerting:
              sinks:
                - name: hook
                  type: webhook
                  url: \(server.url)/hook
                  hmac_key_env: TEST_KEY
            """)
        let result = try await DLQProcess.run(["alerts", "test", "hook"], environment: [
            "DLQ_DATABASE_URL": database.url, "DLQ_CONFIG": configuration, "TEST_KEY": "k",
        ])
        #expect(result.status == 0, "\(result.log)")
        let request = try #require(server.requests().first)
        let body = try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any]
        #expect(body?["kind"] as? String == "test")
        let recorded = try await database.query("SELECT status, kind FROM alert_deliveries").first
        #expect(try recorded?.decode(String.self, column: "status") == "delivered")

        let unknown = try await DLQProcess.run(["alerts", "test", "nope"], environment: [
            "DLQ_DATABASE_URL": database.url, "DLQ_CONFIG": configuration, "TEST_KEY": "k",
        ])
        #expect(unknown.status == 2)
        #expect(unknown.log.contains("no sink named nope"))
        try await server.shutdown()
        await database.drop()
    }
}
