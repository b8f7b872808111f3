import DLQCore
import DLQManager
import Foundation
import Kafka
import Testing

/// An event that fails again after every replay comes back with the replay's lineage; the replay limit follows
/// it across those returns.
@Suite("Replay loops", .timeLimit(.minutes(3)))
struct ReplayLoopTests {
    @Test("an event replayed and dead-lettered again three times is flagged and skipped on the fourth try")
    func loopStopsAtTheLimit() async throws {
        let harness = try await ReplayHarness.make()
        var current = try await harness.storeSamples(count: 1)[0]
        var currentID: Int64 = 1

        for round in 1...3 {
            let result = try await harness.replay(["id=\(currentID)", "--yes"])
            #expect(result.status == 0, "round \(round) log:\n\(result.log)")
            let replayed = try await harness.readTopic(harness.originalTopic)
                .filter { ReplayHarness.origin(of: $0) == current.coordinate }
            try #require(replayed.count == 1, "round \(round): the event is published once")
            // The consumer fails again; Spring's recoverer copies the record's headers and adds its own.
            current = try await deadLetterAgain(replayed[0], round: round, harness: harness)
            currentID += 1
            let stored = try await harness.count("SELECT replay_generation::bigint FROM dead_letters WHERE id = \(currentID)")
            #expect(stored == Int64(round), "round \(round): the returning dead letter inherits the replay count")
        }

        let fourth = try await harness.replay(["id=\(currentID)", "--yes", "--json"])
        let job = try JSONDecoder.iso8601.decode(ReplayJob.self, from: Data(fourth.output.utf8))

        #expect(job.items.published == 0)
        #expect(job.items.skipReasons == ["replay limit reached (3 of 3)": 1], "\(job.items.skipReasons)")
        #expect(try await harness.readTopic(harness.originalTopic).count == 3)
        await harness.database.drop()
    }

    @Test("a returning dead letter is linked to the one it was replayed from and counted in the job's report and its group")
    func recurrenceIsLinked() async throws {
        let harness = try await ReplayHarness.make()
        let original = try await harness.storeSamples(count: 1)[0]
        _ = try await harness.replay(["id=1", "--yes"])
        let replayed = try await harness.readTopic(harness.originalTopic)
        try #require(replayed.count == 1)

        _ = try await deadLetterAgain(replayed[0], round: 1, harness: harness)

        let show = try await DLQProcess.run(["show", "2"], environment: harness.environment())
        #expect(show.output.contains("recurrence of #1"), "show output:\n\(show.output)")
        #expect(show.output.contains(original.coordinate.text))
        let status = try await harness.replay(["status", "1", "--json"])
        let job = try JSONDecoder.iso8601.decode(ReplayJob.self, from: Data(status.output.utf8))
        #expect(job.recurrences == 1)
        let groups = try await DLQProcess.run(["groups", "list", "--json"], environment: harness.environment())
        let recurred = try #require(try JSONSerialization.jsonObject(with: Data(groups.output.utf8)) as? [[String: Any]])
            .compactMap { ($0["recurrence_count"] as? NSNumber)?.int64Value }.reduce(0, +)
        #expect(recurred == 1, "groups output:\n\(groups.output)")
        await harness.database.drop()
    }

    /// Stores what a Spring consumer's dead-letter recoverer would publish for `record` failing again.
    private func deadLetterAgain(_ record: KafkaRecord, round: Int, harness: ReplayHarness) async throws -> DeadLetter {
        var headers = record.headers.map { RecordHeader(name: $0.name, value: $0.value) }
        headers += [
            RecordHeader(name: "kafka_dlt-original-topic", text: record.topic),
            RecordHeader(name: "kafka_dlt-original-partition", value: withUnsafeBytes(of: record.partition.bigEndian, Array.init)),
            RecordHeader(name: "kafka_dlt-original-offset", value: withUnsafeBytes(of: record.offset.bigEndian, Array.init)),
            RecordHeader(name: "kafka_dlt-exception-fqcn", text: "java.lang.IllegalStateException"),
            RecordHeader(name: "kafka_dlt-exception-message", text: "still broken (round \(round))"),
        ]
        let letter = EnvelopeDecoder().decode(
            coordinate: DLQCoordinate(topic: harness.dlqTopic, partition: 0, offset: Int64(1000 + round)),
            key: record.key, value: record.value, headers: headers, kafkaTimestamp: Date()
        )
        try await harness.store([letter])
        return letter
    }
}
