import Foundation
import Postgres
import Testing

extension FaultSuite {
    /// PostgreSQL going away, refusing writes or running out of disk while the daemon drains: it must hold its
    /// offsets, say clearly what is wrong, retry, and resume with nothing lost or doubled.
    @Suite("PostgreSQL faults during ingest")
    struct PostgresFaults {
        /// Fast retries, and batches small enough that the stream is still flowing when the fault lands.
        private static let daemonEnvironment = [
            "DLQ_INGEST_BATCH_SIZE": "10",
            "DLQ_INGEST_RETRY_INITIAL_MS": "50",
            "DLQ_INGEST_RETRY_MAX_MS": "500",
        ]

        @Test("PostgreSQL stopped and restarted mid-stream: the stored set equals the produced set")
        func survivesPostgresRestart() async throws {
            let report = FaultReport("PostgreSQL stopped and restarted during ingest")
            let server = PrivatePostgresServer(port: 54_339)
            let serverURL = try await server.start()
            let harness = try await IngestHarness.make(databaseServerURL: serverURL)
            let receiver = try await RecordingHTTPServer.start(default: .status(202))
            var produced = try await harness.produceSamples(count: 5_000)

            let daemon = try harness.startAlertingDaemon(to: receiver.url, environment: Self.daemonEnvironment)
            let stored = try await harness.storedWhen(atLeast: 500)
            try await server.stop()
            // Records keep arriving during the outage, so the daemon certainly has a batch it cannot store.
            produced.merge(try await harness.produceSamples(count: 5_000, startIndex: 5_000)) { $1 }
            report.injected("server stopped (fast shutdown) with \(stored) of 5,000 stored; 5,000 more produced while down")
            try await eventually("the daemon notices the outage") { daemon.log().contains("PostgreSQL unavailable") }
            #expect(daemon.isRunning)
            try await server.start()
            report.injected("server started again once the daemon logged \"PostgreSQL unavailable\"")

            try await harness.expectEverythingStored(produced, daemon: daemon, alertsTo: receiver, report: report)
            #expect(daemon.log().contains("PostgreSQL is back"))
            report.verified("the daemon logged \"PostgreSQL is back\"")
            report.print()
            try await receiver.shutdown()
            await harness.database.drop()
            try await server.stop()
        }

        @Test("the database made read-only mid-stream: ingest waits, then stores everything")
        func survivesReadOnly() async throws {
            let report = FaultReport("PostgreSQL made read-only during ingest (as a failed-over standby)")
            let harness = try await IngestHarness.make()
            let receiver = try await RecordingHTTPServer.start(default: .status(202))
            var produced = try await harness.produceSamples(count: 5_000)
            let daemon = try harness.startAlertingDaemon(to: receiver.url, environment: Self.daemonEnvironment)
            let stored = try await harness.storedWhen(atLeast: 500)

            try await setReadOnly(true, harness)
            produced.merge(try await harness.produceSamples(count: 5_000, startIndex: 5_000)) { $1 }
            report.injected("default_transaction_read_only on and the daemon's sessions ended, with \(stored) stored; 5,000 more produced")
            try await eventually("the daemon says the database is read-only") { daemon.log().contains("PostgreSQL is read-only") }
            let storedWhileReadOnly = try await harness.database.count()
            #expect(daemon.isRunning)
            try await setReadOnly(false, harness)
            report.injected("writable again once the daemon logged \"PostgreSQL is read-only\" (\(storedWhileReadOnly) stored by then)")

            try await harness.expectEverythingStored(produced, daemon: daemon, alertsTo: receiver, report: report)
            report.print()
            try await receiver.shutdown()
            await harness.database.drop()
        }

        @Test("the disk full mid-stream: a clear error in the log and from commands, then everything stored")
        func survivesDiskFull() async throws {
            let report = FaultReport("PostgreSQL out of disk space (SQLSTATE 53100) during ingest and for a command")
            let harness = try await IngestHarness.make()
            let receiver = try await RecordingHTTPServer.start(default: .status(202))
            var produced = try await harness.produceSamples(count: 5_000)
            let daemon = try harness.startAlertingDaemon(to: receiver.url, environment: Self.daemonEnvironment)
            let stored = try await harness.storedWhen(atLeast: 500)

            // What a full data volume looks like to a client: every write fails with 53100, reads still work.
            _ = try await harness.database.query("""
                CREATE FUNCTION fault_disk_full() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'could not extend file "base/16384/16385": No space left on device' USING ERRCODE = 'disk_full';
                END $$
                """)
            _ = try await harness.database.query("""
                CREATE TRIGGER fault_disk_full BEFORE INSERT OR UPDATE ON dead_letters
                FOR EACH STATEMENT EXECUTE FUNCTION fault_disk_full()
                """)
            produced.merge(try await harness.produceSamples(count: 5_000, startIndex: 5_000)) { $1 }
            report.injected("every write to dead_letters fails with 53100 \"No space left on device\", with \(stored) stored; 5,000 more produced")
            try await eventually("the daemon says the disk is full") {
                daemon.log().contains("error") && daemon.log().contains("PostgreSQL is out of disk space")
            }
            #expect(daemon.isRunning)
            report.verified("the daemon logged at error level: \"PostgreSQL is out of disk space: free space on the server's data volume, holding offsets and retrying\"")

            let resolve = try await DLQProcess.run(["resolve", "id=1", "--reason", "handled", "--yes"], environment: harness.environment())
            #expect(resolve.status == 1)
            #expect(resolve.log.contains("PostgreSQL is out of disk space"), "log:\n\(resolve.log)")
            report.verified("`dlq resolve` exited 1 saying \"PostgreSQL is out of disk space\"")

            _ = try await harness.database.query("DROP TRIGGER fault_disk_full ON dead_letters")
            report.injected("space freed (the failing trigger dropped)")
            try await harness.expectEverythingStored(produced, daemon: daemon, alertsTo: receiver, report: report)
            report.print()
            try await receiver.shutdown()
            await harness.database.drop()
        }

        /// Turns writes off or on for the test's database, and ends the daemon's sessions so that it reconnects
        /// into the new setting, as after a failover to a standby and back.
        private func setReadOnly(_ readOnly: Bool, _ harness: IngestHarness) async throws {
            let name = harness.database.name
            let change = readOnly ? "SET default_transaction_read_only = on" : "RESET default_transaction_read_only"
            let connection = try await harness.database.connect()
            // A new session of a read-only database is read-only too, and could not change the setting back.
            _ = try await connection.query("SET default_transaction_read_only = off")
            _ = try await connection.query("ALTER DATABASE \(unsafeRaw: name) \(unsafeRaw: change)")
            _ = try await connection.query("""
                SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                WHERE datname = current_database() AND pid <> pg_backend_pid()
                """)
            await connection.close()
        }
    }
}
