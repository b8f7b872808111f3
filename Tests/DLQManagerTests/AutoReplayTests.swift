import DLQCore
import DLQManager
import Foundation
import Kafka
import Testing

/// The daemon replays the dead letters of `auto-replay` rules on its own once they cooled down.
@Suite("Auto-replay", .timeLimit(.minutes(3)))
struct AutoReplayTests {
    @Test("dead letters of an auto-replay rule are replayed after the cooldown by a system job, visible in the audit")
    func replaysAfterCooldown() async throws {
        let harness = try await IngestHarness.make()
        try harness.cluster.createTopic("orders", partitions: 4)
        let configuration = IngestHarness.writeConfiguration("""
            replay:
              auto_interval_ms: 200
            classification:
              rules:
                - name: timeouts
                  match: { exception_class: "java\\\\.net\\\\.SocketTimeoutException" }
                  class: transient
                  action: auto-replay
                  cooldown: 1s
                  max_attempts: 2
            """)
        let timeouts = (0..<20).map { harness.springFailure(exceptionClass: "java.net.SocketTimeoutException", index: $0) }
        let other = (20..<30).map { harness.springFailure(exceptionClass: "java.lang.IllegalStateException", index: $0) }
        _ = try await harness.produce(timeouts + other)

        let daemon = try harness.startDaemon(["DLQ_CONFIG": configuration])
        try await eventually("the 20 timeouts are replayed to orders", timeout: .seconds(60)) {
            try await ReplayHarness.readTopic("orders", in: harness.cluster).count >= 20
        }
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0, "daemon log:\n\(daemon.log())")

        let replayed = try await ReplayHarness.readTopic("orders", in: harness.cluster)
        #expect(replayed.count == 20, "only the auto-replay rule's dead letters, once each")
        #expect(Set(replayed.compactMap { $0.key.map { String(decoding: $0, as: UTF8.self) } }) == Set((0..<20).map { "order-\($0)" }))
        let jobs = try await harness.database.query("SELECT operator, max_replays FROM replay_jobs")
        #expect(try jobs.map { try $0.decode(String.self, column: 0) }.allSatisfy { $0 == "system:auto-replay" })
        #expect(try jobs.first?.decode(Int?.self, column: 1) == 2)
        #expect(try await harness.database.count("true") == 30)
        let audited = try await harness.database.query("SELECT count(*) FROM audit_log WHERE operator = 'system:auto-replay' AND action = 'replay'")
        #expect(try audited[0].decode(Int64.self, column: 0) >= 1)
        await harness.database.drop()
    }
}
