import DLQCore
@testable import DLQManager
import Foundation
import Postgres
import Testing

/// The claims that keep two replay jobs from publishing the same event, at the moment their steps meet.
@Suite("Replay claims", .timeLimit(.minutes(1)))
struct ReplayClaimTests {
    @Test("a claim that waited for another job to record the event as published skips it instead of publishing it again")
    func claimAfterConcurrentPublishSkips() async throws {
        let harness = try await ReplayHarness.make()
        try await harness.storeSamples(count: 1)
        let jobs = ReplayJobStore()
        let first = try await harness.database.connect()
        let second = try await harness.database.connect()
        let blocker = try await harness.database.connect()
        let firstJob = try await jobs.create(ReplayRequest(selection: DeadLetterSelection(), operatorName: "alice"), on: first)
        let secondJob = try await jobs.create(ReplayRequest(selection: DeadLetterSelection(), operatorName: "bob"), on: second)
        let createdAt = try #require(try await jobs.job(secondJob, on: second)).createdAt
        let firstItems = ReplayItemStore(jobID: firstJob)
        let secondItems = ReplayItemStore(jobID: secondJob)

        // The first job claims and sends the event. Its recording transaction is then held open, by a lock on the
        // job's row (which recording a recovered event updates last), until the second job's claim waits for it.
        let claimed = try await firstItems.claim(after: 0, limit: 10, includesReplayed: false, createdAt: Date(), maxReplays: 3, on: first)
        guard case .publish = try #require(claimed.first).disposition else {
            Issue.record("the first job should claim the event to publish it")
            return
        }
        try await blocker.execute("BEGIN")
        _ = try await blocker.query("SELECT id FROM replay_jobs WHERE id = \(firstJob) FOR UPDATE")
        let recording = Task {
            try await firstItems.record(published: [(id: claimed[0].deadLetterID, partition: 0, offset: 0)], skipped: [], recovered: 1, on: first)
        }
        try await eventually("the recording waits for the job's row") { try await sessionsWaitingForLocks(harness) == 1 }
        let claiming = Task {
            try await secondItems.claim(after: 0, limit: 10, includesReplayed: false, createdAt: createdAt, maxReplays: 3, on: second)
        }
        try await eventually("the claim waits for the recording") { try await sessionsWaitingForLocks(harness) == 2 }
        try await blocker.execute("COMMIT")
        _ = try await recording.value
        let secondClaim = try #require(try await claiming.value.first)

        guard case .skip(let reason) = secondClaim.disposition else {
            Issue.record("the second job must not publish an event the first one published")
            return
        }
        #expect(reason == "replayed by job \(firstJob) meanwhile")
        for connection in [first, second, blocker] { await connection.close() }
        await harness.database.drop()
    }

    /// Sessions of the test's database waiting for a lock.
    private func sessionsWaitingForLocks(_ harness: ReplayHarness) async throws -> Int64 {
        try await harness.count("""
            SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'
            """)
    }
}
