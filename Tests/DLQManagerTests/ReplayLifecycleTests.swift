import DLQCore
import DLQManager
import Foundation
import Kafka
import Testing

/// `dlq replay cancel`, Ctrl-C and `resume` on jobs that are running, stopped or finished.
@Suite("Replay job life cycle", .timeLimit(.minutes(3)))
struct ReplayLifecycleTests {
    @Test("cancelling a running job stops it after the records in flight; what was not published stays unpublished")
    func cancelRunningJob() async throws {
        let harness = try await ReplayHarness.make()
        try await harness.storeSamples(count: 5_000)
        let replay = try DLQProcess(["replay", "original_topic=orders", "--rate", "1000", "--yes"], environment: harness.environment())
        try await eventually("part of the job is published") { try await published(harness) >= 500 }

        let cancel = try await harness.replay(["cancel", "1", "--reason", "wrong selection"])
        let replayStatus = try await replay.waitForExit()

        #expect(cancel.status == 0, "log:\n\(cancel.log)")
        #expect(cancel.output.contains("replay job 1 is cancelled"), "output:\n\(cancel.output)")
        #expect(replayStatus == 0, "log:\n\(replay.log())")
        let job = try await status(harness)
        #expect(job.state == .cancelled)
        #expect(job.items.cancelled > 0 && job.items.published + job.items.cancelled == 5_000)
        #expect(try await harness.readTopic(harness.originalTopic).count == Int(job.items.published))
        #expect(try await harness.count("SELECT count(*) FROM audit_log WHERE action = 'replay-cancel' AND reason = 'wrong selection'") == 1)
        await harness.database.drop()
    }

    @Test("Ctrl-C interrupts a job cleanly (exit 130, nothing left unsettled) and resume finishes it")
    func interruptAndResume() async throws {
        let harness = try await ReplayHarness.make()
        let letters = try await harness.storeSamples(count: 5_000)
        // 5 s at this rate: the interrupt lands mid-job even on a loaded machine.
        let replay = try DLQProcess(["replay", "original_topic=orders", "--rate", "1000", "--yes"], environment: harness.environment())
        try await eventually("part of the job is published") { try await published(harness) >= 1_000 }

        replay.signal(SIGINT)
        let interrupted = try await replay.waitForExit()

        #expect(interrupted == 130, "log:\n\(replay.log())")
        #expect(try await status(harness).state == .interrupted)
        #expect(try await harness.count("SELECT count(*) FROM replay_claims") == 0, "a clean stop settles what was in flight")
        let resumed = try await harness.replay(["resume", "1"])
        #expect(resumed.status == 0, "log:\n\(resumed.log)")
        let records = try await harness.readTopic(harness.originalTopic)
        #expect(records.count == letters.count)
        #expect(Set(records.compactMap(ReplayHarness.origin(of:))).count == letters.count)
        #expect(try await status(harness).state == .completed)
        await harness.database.drop()
    }

    @Test("a completed job cannot be resumed or cancelled")
    func completedJobIsFinal() async throws {
        let harness = try await ReplayHarness.make()
        try await harness.storeSamples(count: 20)
        _ = try await harness.replay(["original_topic=orders", "--yes"])

        let resume = try await harness.replay(["resume", "1"])
        let cancel = try await harness.replay(["cancel", "1"])

        #expect(resume.status == 1 && resume.log.contains("replay job 1 is completed and cannot run again"), "log:\n\(resume.log)")
        #expect(cancel.status == 1 && cancel.log.contains("already completed"), "log:\n\(cancel.log)")
        #expect(try await harness.readTopic(harness.originalTopic).count == 20)
        await harness.database.drop()
    }

    private func published(_ harness: ReplayHarness) async throws -> Int64 {
        try await harness.count("SELECT count(*) FROM replay_items WHERE state = 'published'")
    }

    private func status(_ harness: ReplayHarness) async throws -> ReplayJob {
        let status = try await harness.replay(["status", "1", "--json"])
        return try JSONDecoder.iso8601.decode(ReplayJob.self, from: Data(status.output.utf8))
    }
}
