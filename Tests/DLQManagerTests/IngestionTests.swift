import DLQCore
import Foundation
import Kafka
import Testing

/// The daemon against a real PostgreSQL and the mock Kafka cluster: nothing lost, nothing twice.
@Suite("Ingestion daemon", .timeLimit(.minutes(5)))
struct IngestionTests {
    @Test("10,000 dead letters of mixed formats are all stored byte-exact, and SIGTERM exits 0")
    func storesEveryRecordByteExact() async throws {
        let harness = try await IngestHarness.make(partitions: 8)
        let produced = try await harness.produceSamples(count: 10_000)

        let daemon = try harness.startDaemon()
        try await eventually("10,000 rows are stored") { try await harness.database.count() == 10_000 }
        try await eventually("the group committed every offset") { try await harness.groupCommittedEverything() }
        daemon.signal(SIGTERM)
        let status = try await daemon.waitForExit()

        let stored = try await harness.storedRecords()
        #expect(stored == produced)
        for format in EnvelopeFormat.allCases {
            #expect(try await harness.database.count("format = '\(format.rawValue)'") > 1000, "format \(format.rawValue)")
        }
        #expect(status == 0, "daemon log:\n\(daemon.log())")
        await harness.database.drop()
    }

    @Test("re-consuming the topic from the beginning adds no row")
    func reconsumingAddsNoRow() async throws {
        let harness = try await IngestHarness.make()
        _ = try await harness.produceSamples(count: 2_000)
        let first = try harness.startDaemon()
        try await eventually("2,000 rows are stored") { try await harness.database.count() == 2_000 }
        first.signal(SIGTERM)
        _ = try await first.waitForExit()

        // A new group has no committed offsets, so it reads every record again.
        let again = try harness.startDaemon(["DLQ_KAFKA_GROUP_ID": "dlq-test-reread"])
        try await eventually("the second group consumed everything") {
            try await harness.groupCommittedEverything(groupID: "dlq-test-reread")
        }
        again.signal(SIGTERM)
        let status = try await again.waitForExit()

        #expect(try await harness.database.count() == 2_000)
        #expect(status == 0, "daemon log:\n\(again.log())")
        await harness.database.drop()
    }

    @Test("a daemon killed with SIGKILL mid-stream and restarted ends with exactly the produced set")
    func survivesSigkill() async throws {
        let harness = try await IngestHarness.make()
        let produced = try await harness.produceSamples(count: 10_000)
        // Small batches make the daemon take long enough that the kill lands mid-stream.
        let small = ["DLQ_INGEST_BATCH_SIZE": "25"]

        let first = try harness.startDaemon(small)
        try await eventually("some rows are stored") { try await harness.database.count() >= 500 }
        first.signal(SIGKILL)
        _ = try await first.waitForExit()
        let storedAtKill = try await harness.database.count()
        #expect(storedAtKill < 10_000, "the kill should land mid-stream")

        let second = try harness.startDaemon(small)
        try await eventually("10,000 rows are stored") { try await harness.database.count() == 10_000 }
        try await eventually("the group committed every offset") { try await harness.groupCommittedEverything() }
        second.signal(SIGTERM)
        _ = try await second.waitForExit()

        #expect(try await harness.storedRecords() == produced)
        await harness.database.drop()
    }
}
