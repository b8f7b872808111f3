import DLQCore
import DLQManager
import Foundation
import Kafka
import Testing

/// `dlq replay` against a real PostgreSQL and the mock cluster: the right bytes and headers, once each.
@Suite("Replay", .timeLimit(.minutes(5)))
struct ReplayTests {
    /// Failure-describing header prefixes, written out here rather than taken from the code under test.
    private static let failureHeaderPrefixes = ["kafka_dlt-", "__connect.errors.", "__streams.errors.", "dead-letter-"]

    @Test("10,000 dead letters of every format come back with their original key and value bytes and the expected headers")
    func replaysEveryFormatByteExact() async throws {
        let harness = try await ReplayHarness.make()
        let letters = try await harness.storeSamples(count: 10_000)
        let byOrigin = Dictionary(uniqueKeysWithValues: letters.map { ($0.coordinate, $0) })

        let result = try await harness.replay(["original_topic=orders", "--yes", "--reason", "test"])
        #expect(result.status == 0, "output:\n\(result.output)\nlog:\n\(result.log)")

        let records = try await harness.readTopic(harness.originalTopic)
        #expect(records.count == 10_000)
        var seen: Set<DLQCoordinate> = []
        var traced = 0
        for record in records {
            guard let origin = ReplayHarness.origin(of: record), let letter = byOrigin[origin] else {
                Issue.record("record \(record.topicPartition)@\(record.offset) has no known lineage origin")
                continue
            }
            #expect(seen.insert(origin).inserted, "\(origin.text) published twice")
            #expect(record.key == letter.key, "key of \(origin.text)")
            #expect(record.value == Self.expectedValue(letter), "value of \(origin.text) (\(letter.format))")
            #expect(record.headers.map(\.name) == Self.expectedHeaderNames(letter), "headers of \(origin.text) (\(letter.format))")
            #expect(!record.headers.contains { h in Self.failureHeaderPrefixes.contains { h.name.hasPrefix($0) } })
            let value = { (name: String) in record.headers.last { $0.name == name }?.value.map { String(decoding: $0, as: UTF8.self) } }
            #expect(value("dlq-replay-job") == "1")
            #expect(value("dlq-replay-count") == "1")
            if let traceID = letter.traceID {
                traced += 1
                let parts = value("traceparent")?.split(separator: "-").map(String.init) ?? []
                #expect(parts.count == 4 && parts[1] == traceID && parts[2] != letter.spanID && parts[2].count == 16,
                        "traceparent of \(origin.text): \(value("traceparent") ?? "none")")
            }
        }
        #expect(traced > 1000, "the samples carry trace context in several formats")
        #expect(try await harness.count("SELECT count(*) FROM replay_items WHERE state = 'published'") == 10_000)
        await harness.database.drop()
    }

    @Test("a dry run changes nothing in the database or on the broker")
    func dryRunChangesNothing() async throws {
        let harness = try await ReplayHarness.make()
        try await harness.storeSamples(count: 300)
        let before = try await snapshot(harness)

        let result = try await harness.replay(["original_topic=orders", "--dry-run"])

        #expect(result.status == 0, "log:\n\(result.log)")
        #expect(result.output.contains("300 dead letters selected"), "output:\n\(result.output)")
        #expect(try await snapshot(harness) == before)
        #expect(try await harness.readTopic(harness.originalTopic).isEmpty)
        await harness.database.drop()
    }

    @Test("without a terminal and without --yes nothing is replayed")
    func refusesWithoutConfirmation() async throws {
        let harness = try await ReplayHarness.make()
        try await harness.storeSamples(count: 10)

        let result = try await harness.replay(["original_topic=orders"])

        #expect(result.status != 0)
        #expect(result.log.contains("--yes"), "log:\n\(result.log)")
        #expect(try await harness.count("SELECT count(*) FROM replay_jobs") == 0)
        #expect(try await harness.readTopic(harness.originalTopic).isEmpty)
        await harness.database.drop()
    }

    /// Counts of every table a replay writes, and the dead letters' own columns.
    private func snapshot(_ harness: ReplayHarness) async throws -> [Int64] {
        [
            try await harness.count("SELECT count(*) FROM replay_jobs"),
            try await harness.count("SELECT count(*) FROM replay_items"),
            try await harness.count("SELECT count(*) FROM replay_claims"),
            try await harness.count("SELECT count(*) FROM audit_log"),
            try await harness.count("SELECT count(*) FROM dead_letters WHERE status <> 'new'"),
            try await harness.count("SELECT coalesce(sum(unresolved_count), 0)::bigint FROM error_groups"),
        ]
    }

    static func expectedValue(_ letter: DeadLetter) -> [UInt8]? {
        guard let value = letter.value, let range = letter.originalEventRange else { return letter.value }
        return Array(value[range])
    }

    /// The original header names in order without the failure headers; a traceparent moves to the end when the
    /// replay writes a new one; then the three lineage headers.
    static func expectedHeaderNames(_ letter: DeadLetter) -> [String] {
        var names = letter.headers.map(\.name).filter { name in !failureHeaderPrefixes.contains { name.lowercased().hasPrefix($0) } }
        if letter.traceID != nil {
            names.removeAll { $0.lowercased() == "traceparent" }
            names.append("traceparent")
        }
        return names + ["dlq-replay-job", "dlq-replay-count", "dlq-replay-origin"]
    }
}
