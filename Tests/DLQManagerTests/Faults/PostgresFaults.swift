import Foundation
import Testing

/// PostgreSQL going away while the daemon drains: it must hold its offsets, retry, and resume with nothing lost
/// or doubled.
@Suite("Ingestion across a PostgreSQL outage", .timeLimit(.minutes(5)))
struct PostgresOutageTests {
    @Test("PostgreSQL stopped and restarted mid-stream: the stored set equals the produced set")
    func survivesPostgresRestart() async throws {
        let server = PrivatePostgresServer(port: 54_339)
        let serverURL = try await server.start()
        let harness = try await IngestHarness.make(databaseServerURL: serverURL)
        var produced = try await harness.produceSamples(count: 5_000)

        let daemon = try harness.startDaemon([
            "DLQ_INGEST_BATCH_SIZE": "10",
            "DLQ_INGEST_RETRY_INITIAL_MS": "50",
            "DLQ_INGEST_RETRY_MAX_MS": "500",
        ])
        try await eventually("some rows are stored") { try await harness.database.count() >= 500 }
        try await server.stop()
        // Records keep arriving during the outage, so the daemon certainly has a batch it cannot store.
        produced.merge(try await harness.produceSamples(count: 5_000, startIndex: 5_000)) { $1 }
        try await eventually("the daemon notices the outage") { daemon.log().contains("PostgreSQL unavailable") }
        #expect(daemon.isRunning)
        try await server.start()

        try await eventually("10,000 rows are stored") { try await harness.database.count() == 10_000 }
        try await eventually("the group committed every offset") { try await harness.groupCommittedEverything() }
        daemon.signal(SIGTERM)
        let status = try await daemon.waitForExit()

        #expect(try await harness.storedRecords() == produced)
        #expect(daemon.log().contains("PostgreSQL is back"))
        #expect(status == 0)
        await harness.database.drop()
        try await server.stop()
    }
}
