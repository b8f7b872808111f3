import DLQManager
import Foundation
import Kafka
import Testing

/// A record over `ingest.max_record_bytes` is stored cut, flagged and skipped by replay; one under it is stored
/// whole and replays.
@Suite("Record size limit", .timeLimit(.minutes(3)))
struct RecordSizeLimitTests {
    @Test("an oversized record is stored cut and flagged, and a replay skips it")
    func oversizedRecord() async throws {
        let harness = try await IngestHarness.make(partitions: 1)
        var large = harness.springFailure(exceptionClass: "com.acme.Large", index: 1)
        large.value = Array(repeating: UInt8(ascii: "x"), count: 300_000)
        let small = harness.springFailure(exceptionClass: "com.acme.Small", index: 2)
        _ = try await harness.produce([large, small])
        let daemon = try harness.startDaemon(["DLQ_INGEST_MAX_RECORD_BYTES": "100000"])
        try await eventually("both records are stored") { try await harness.database.count() == 2 }
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)

        let rows = try await harness.database.query("""
            SELECT id, length(record_value) AS stored, truncated_from, decode_note FROM dead_letters ORDER BY dlq_offset
            """)
        let largeSize = (large.key?.count ?? 0) + 300_000 + large.headers.reduce(0) { $0 + $1.name.utf8.count + ($1.value?.count ?? 0) }
        #expect(try rows[0].decode(Int32.self, column: "stored") == 65_536)
        #expect(try rows[0].decode(Int64?.self, column: "truncated_from") == Int64(largeSize))
        #expect(try rows[0].decode(String?.self, column: "decode_note")?.contains("ingest.max_record_bytes") == true)
        #expect(try rows[1].decode(Int32.self, column: "stored") == Int32(small.value?.count ?? 0))
        #expect(try rows[1].decode(Int64?.self, column: "truncated_from") == nil)
        #expect(daemon.log().contains("record over ingest.max_record_bytes stored cut"))

        let replay = try await DLQProcess.run(["replay", "original_topic=orders", "--yes", "--json"], environment: harness.environment(["DLQ_OPERATOR": "test"]))
        #expect(replay.status == 0, "log:\n\(replay.log)")
        let job = try JSONDecoder.iso8601.decode(ReplayJob.self, from: Data(replay.output.utf8))
        #expect(job.items.published == 1 && job.items.skipped == 1)
        let reasons = try await harness.database.query("SELECT skip_reason FROM replay_items WHERE state = 'skipped'")
        #expect(try reasons.first?.decode(String?.self, column: "skip_reason")?.contains("stored cut") == true)
        await harness.database.drop()
    }
}
