import Foundation
import Testing

extension FaultSuite {
    /// The broker failing under the daemon: connections lost, offset commits refused. Records are stored
    /// before their offsets are committed, so the worst case is a re-delivery, which adds no row.
    @Suite("Kafka faults during ingest")
    struct KafkaFaults {
        @Test("the broker down and back mid-stream: the stored set equals the produced set", FaultSuite.brokerOutages)
        func survivesBrokerOutage() async throws {
            let report = FaultReport("Kafka broker down and back during ingest")
            let harness = try await IngestHarness.make()
            let receiver = try await RecordingHTTPServer.start(default: .status(202))
            var produced = try await harness.produceSamples(count: 5_000)
            let daemon = try harness.startAlertingDaemon(to: receiver.url, environment: ["DLQ_INGEST_BATCH_SIZE": "10"])
            let stored = try await harness.storedWhen(atLeast: 500)

            try harness.cluster.setBrokerDown(1)
            report.injected("the only broker's listener closed with \(stored) of 5,000 stored")
            // librdkafka's own log line, written at once; its error events wait for the next poll.
            try await eventually("the daemon notices the broker is gone") { daemon.log().contains("Connection refused") }
            #expect(daemon.isRunning)
            try harness.cluster.setBrokerUp(1)
            // Produced after the outage, so the daemon must fetch again over a new connection to see them.
            produced.merge(try await harness.produceSamples(count: 5_000, startIndex: 5_000)) { $1 }
            report.injected("broker back once the daemon logged the lost connection; 5,000 more produced")

            try await harness.expectEverythingStored(produced, daemon: daemon, alertsTo: receiver, report: report)
            report.print()
            try await receiver.shutdown()
            await harness.database.drop()
        }

        @Test("offset commits refused, then the daemon killed: re-delivered records add no row")
        func survivesCommitErrors() async throws {
            let report = FaultReport("offset commit request errors during ingest, then SIGKILL")
            let harness = try await IngestHarness.make()
            // REBALANCE_IN_PROGRESS (27) fails a commit without making the member rejoin, as a busy coordinator
            // does; enough of them that many batches are stored while their offsets are not committed.
            harness.cluster.pushRequestErrors(apiKey: 8, errors: Array(repeating: 27, count: 30))
            report.injected("the next 30 OffsetCommit requests answered REBALANCE_IN_PROGRESS")
            var produced = try await harness.produceSamples(count: 5_000)
            let first = try harness.startDaemon(["DLQ_INGEST_BATCH_SIZE": "25"])
            try await eventually("a commit failed") { first.log().contains("offset commit failed") }
            let stored = try await harness.storedWhen(atLeast: 500)
            first.signal(SIGKILL)
            _ = try await first.waitForExit()
            report.injected("SIGKILL after \(stored) rows stored and at least one commit refused")

            produced.merge(try await harness.produceSamples(count: 5_000, startIndex: 5_000)) { $1 }
            let second = try harness.startDaemon(["DLQ_INGEST_BATCH_SIZE": "25"])
            try await harness.expectEverythingStored(produced, daemon: second, report: report)
            report.verified("the first daemon logged \"offset commit failed; will retry with the next batch\" and kept going")
            report.verified("the stored set is the restarted daemon's: re-delivered records added no row")
            report.print()
            await harness.database.drop()
        }
    }
}
