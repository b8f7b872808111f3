import DLQCore
import DLQManager
import Foundation
import Testing

/// `dlq list` and `dlq show` over stored dead letters, run as the operator runs them.
@Suite("list and show")
struct ReadCommandTests {
    /// Stores one decoded sample of each format, oldest first, and returns their ids in that order.
    private func storeSamples(in database: TestDatabase) async throws -> [Int64] {
        let decoder = EnvelopeDecoder()
        let letters = EnvelopeFormat.allCases.enumerated().map { index, format in
            let sample = SampleDeadLetters.make(format: format, index: index, dlqTopic: "orders.dlq")
            let letter = decoder.decode(
                coordinate: DLQCoordinate(topic: "orders.dlq", partition: 0, offset: Int64(index)),
                key: sample.key, value: sample.value, headers: sample.headers, kafkaTimestamp: Date()
            )
            return ClassifiedDeadLetter(letter, classifier: Classifier(rules: []))
        }
        let connection = try await database.connect()
        _ = try await connection.withTransaction { try await DeadLetterStore().insert(letters, in: $0) }
        let ids = try await connection.query("SELECT id FROM dead_letters ORDER BY dlq_offset").map { try $0.decode(Int64.self, column: "id") }
        await connection.close()
        return ids
    }

    private func dlq(_ arguments: [String], _ database: TestDatabase) async throws -> (status: Int32, output: String, log: String) {
        try await DLQProcess.run(arguments, environment: ["DLQ_DATABASE_URL": database.url])
    }

    @Test("list --json is newest first and filters by format")
    func listFilters() async throws {
        let database = try await TestDatabase.create()
        let ids = try await storeSamples(in: database)

        let all = try await dlq(["list", "--json"], database)
        let listed = try JSONSerialization.jsonObject(with: Data(all.output.utf8)) as? [[String: Any]] ?? []
        #expect(listed.compactMap { $0["id"] as? Int64 } == ids.reversed())

        let spring = try await dlq(["list", "--json", "--format", "spring"], database)
        let springRows = try JSONSerialization.jsonObject(with: Data(spring.output.utf8)) as? [[String: Any]] ?? []
        #expect(springRows.count == 1)
        #expect(springRows.first?["format"] as? String == "spring")
        await database.drop()
    }

    @Test("list pages with --before-id")
    func listPages() async throws {
        let database = try await TestDatabase.create()
        let ids = try await storeSamples(in: database)
        let page = try await dlq(["list", "--json", "--limit", "2", "--before-id", String(ids[4])], database)
        let rows = try JSONSerialization.jsonObject(with: Data(page.output.utf8)) as? [[String: Any]] ?? []
        #expect(rows.compactMap { $0["id"] as? Int64 } == [ids[3], ids[2]])
        await database.drop()
    }

    @Test("show --json gives back the record's exact bytes")
    func showExactBytes() async throws {
        let database = try await TestDatabase.create()
        let ids = try await storeSamples(in: database)
        let sample = SampleDeadLetters.make(format: .spring, index: 1, dlqTopic: "orders.dlq")
        let shown = try await dlq(["show", "--json", String(ids[1])], database)
        let object = try JSONSerialization.jsonObject(with: Data(shown.output.utf8)) as? [String: Any] ?? [:]
        let value = (object["value"] as? [String: Any])?["base64"] as? String
        #expect(value.flatMap { Data(base64Encoded: $0) }.map(Array.init) == sample.value)
        #expect((object["headers"] as? [Any])?.count == sample.headers.count)
        #expect(shown.status == 0)
        await database.drop()
    }

    @Test("show of an unknown id fails with a clear message")
    func showUnknown() async throws {
        let database = try await TestDatabase.create()
        let shown = try await dlq(["show", "999999"], database)
        #expect(shown.status != 0)
        #expect(shown.log.contains("no dead letter with id 999999"))
        await database.drop()
    }
}
