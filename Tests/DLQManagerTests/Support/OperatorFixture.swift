import DLQCore
import DLQManager
import Foundation
import Postgres

/// Dead letters stored the way ingestion stores them (rows, groups), for the operator command tests, with
/// helpers to give them a status, an age, or an alerted group.
struct OperatorFixture {
    let database: TestDatabase

    /// One failure to store: where it was dead-lettered and how it failed.
    struct Failure {
        var dlqTopic = "orders.dlq"
        var originalTopic = "orders"
        var exception = "com.acme.PaymentDeclinedException"
        var message = "Card declined for order 1"
        var key: String?
        var headers: [RecordHeader] = []
    }

    /// Stores the failures (classified with no rules, grouped) and returns their ids in the given order.
    @discardableResult
    func store(_ failures: [Failure]) async throws -> [Int64] {
        let offset = try await database.query("SELECT count(*) AS n FROM dead_letters").first?.decode(Int64.self, column: "n") ?? 0
        let letters = failures.enumerated().map { index, failure in
            ClassifiedDeadLetter(
                DeadLetter(
                    coordinate: DLQCoordinate(topic: failure.dlqTopic, partition: 0, offset: offset + Int64(index)),
                    key: failure.key.map { Array($0.utf8) }, value: Array("{}".utf8), headers: failure.headers,
                    kafkaTimestamp: nil, format: .spring, originalTopic: failure.originalTopic,
                    exceptionClass: failure.exception, errorMessage: failure.message
                ),
                classifier: Classifier(rules: [])
            )
        }
        try await database.storeArrivals(letters)
        let rows = try await database.query("SELECT id FROM dead_letters WHERE dlq_offset >= \(offset) ORDER BY dlq_offset")
        return try rows.map { try $0.decode(Int64.self, column: "id") }
    }

    /// Marks dead letters replayed as a replay job would: a published replay item each, and off their groups'
    /// unresolved counts.
    func markReplayed(_ ids: [Int64]) async throws {
        let connection = try await database.connect()
        try await connection.withTransaction { transaction in
            let job = try await transaction.query("""
                INSERT INTO replay_jobs (operator, selection, state) VALUES ('test', 'fixture', 'completed') RETURNING id
                """).first?.decode(Int64.self, column: "id")
            try await transaction.execute("""
                INSERT INTO replay_items (job_id, dead_letter_id, state, published_at)
                SELECT \(job), id, 'published', now() FROM unnest(\(ids)::bigint[]) AS id
                """)
            try await transaction.execute("""
                UPDATE error_groups g SET unresolved_count = g.unresolved_count - r.n
                FROM (SELECT fingerprint, count(*) AS n FROM dead_letters WHERE id = ANY(\(ids)) GROUP BY fingerprint) r
                WHERE g.fingerprint = r.fingerprint
                """)
        }
        await connection.close()
    }

    /// Marks dead letters resolved, groups included, as `dlq resolve` would (audited as the fixture).
    func markResolved(_ ids: [Int64]) async throws {
        var selection = DeadLetterSelection()
        selection.ids = ids.map { $0...$0 }
        let connection = try await database.connect()
        _ = try await connection.withTransaction { transaction in
            try await Resolution(selection: selection)?.apply(operator: "fixture", reason: nil, in: transaction)
        }
        await connection.close()
    }

    func setIngested(_ ids: [Int64], daysAgo days: Int) async throws {
        _ = try await database.query("""
            UPDATE dead_letters SET ingested_at = now() - \(days) * interval '1 day' WHERE id = ANY(\(ids))
            """)
    }

    func fingerprint(of id: Int64) async throws -> String {
        let rows = try await database.query("SELECT fingerprint FROM dead_letters WHERE id = \(id)")
        return try rows.first?.decode(String.self, column: "fingerprint") ?? ""
    }

    /// Every row of the tables an operator command may change, as text: equal snapshots mean nothing changed.
    func snapshot() async throws -> String {
        var text = ""
        for (table, order) in [("dead_letters", "id"), ("error_groups", "fingerprint"), ("alert_outbox", "fingerprint"),
                               ("audit_log", "id"), ("replay_items", "job_id, dead_letter_id")] {
            let rows = try await database.query("""
                SELECT coalesce(string_agg(t::text, E'\\n' ORDER BY \(unsafeRaw: order)), '') AS rows FROM \(unsafeRaw: table) t
                """)
            text += "\(table):\n" + (try rows.first?.decode(String.self, column: "rows") ?? "") + "\n"
        }
        return text
    }

    func dlq(_ arguments: [String]) async throws -> (status: Int32, output: String, log: String) {
        try await DLQProcess.run(arguments, environment: ["DLQ_DATABASE_URL": database.url, "DLQ_OPERATOR": "alice"])
    }

    /// The command's standard output read as JSON.
    static func json(_ output: String) -> Any? {
        try? JSONSerialization.jsonObject(with: Data(output.utf8))
    }
}
