import DLQCore
import DLQManager
import Foundation
import Kafka
import Testing

/// Replays interrupted by the broker, by SIGKILL, and by another job: afterwards every selected event is on
/// the topic exactly once.
@Suite("Replay under faults", .timeLimit(.minutes(5)))
struct ReplayFaultTests {
    @Test("produce requests failing mid-job: the job fails, resume publishes the rest, nothing twice")
    func produceErrorsMidJob() async throws {
        let harness = try await ReplayHarness.make()
        let letters = try await harness.storeSamples(count: 5_000)
        // Small steps, so that the injected errors land in the middle of the job.
        let environment = ["DLQ_REPLAY_BATCH_SIZE": "250"]
        let replay = try DLQProcess(["replay", "original_topic=orders", "--rate", "2500", "--yes"], environment: harness.environment(environment))
        try await eventually("part of the job is published") {
            try await harness.count("SELECT count(*) FROM replay_items WHERE state = 'published'") >= 1_000
        }
        // TOPIC_AUTHORIZATION_FAILED (29) is not retriable: the messages of those requests fail.
        harness.cluster.pushRequestErrors(apiKey: 0, errors: [29, 29, 29])
        let first = try await replay.waitForExit()

        #expect(first == 1, "the run must fail on the injected errors; log:\n\(replay.log())")
        #expect(try await harness.count("SELECT count(*) FROM replay_items WHERE state = 'published'") < 5_000)
        // Errors left over from the injection may fail a resume too: resume until the job completes, as an
        // operator would.
        var job: ReplayJob?
        for _ in 1...5 where job?.state != .completed {
            let resumed = try await harness.replay(["resume", "1", "--json"])
            job = try JSONDecoder.iso8601.decode(ReplayJob.self, from: Data(resumed.output.utf8))
        }

        try await expectEachPublishedOnce(letters, harness: harness)
        #expect(job?.state == .completed && job?.items.published == 5_000)
        #expect((job?.runs ?? 0) >= 2)
        await harness.database.drop()
    }

    @Test("a replay killed with SIGKILL mid-job resumes without publishing anything twice")
    func sigkillMidJob() async throws {
        let harness = try await ReplayHarness.make()
        let letters = try await harness.storeSamples(count: 10_000)
        let replay = try DLQProcess(["replay", "original_topic=orders", "--rate", "4000", "--yes"], environment: harness.environment())
        try await eventually("part of the job is published") {
            try await harness.count("SELECT count(*) FROM replay_items WHERE state = 'published'") >= 3_000
        }
        replay.signal(SIGKILL)
        _ = try await replay.waitForExit()
        let recordedAtKill = try await harness.count("SELECT count(*) FROM replay_items WHERE state = 'published'")
        #expect(recordedAtKill < 10_000, "the kill should land mid-job")

        let resumed = try await harness.replay(["resume", "1", "--json"])
        #expect(resumed.status == 0, "log:\n\(resumed.log)")

        try await expectEachPublishedOnce(letters, harness: harness)
        let job = try JSONDecoder.iso8601.decode(ReplayJob.self, from: Data(resumed.output.utf8))
        #expect(job.state == .completed && job.runs == 2 && job.items.published == 10_000)
        await harness.database.drop()
    }

    @Test("two concurrent jobs with overlapping selections publish each event once")
    func overlappingJobs() async throws {
        let harness = try await ReplayHarness.make()
        let letters = try await harness.storeSamples(count: 10_000)
        let first = try DLQProcess(["replay", "id=1-6000", "--rate", "5000", "--yes"], environment: harness.environment())
        let second = try DLQProcess(["replay", "id=4001-10000", "--rate", "5000", "--yes"], environment: harness.environment())
        #expect(try await first.waitForExit() == 0, "log:\n\(first.log())")
        #expect(try await second.waitForExit() == 0, "log:\n\(second.log())")

        try await expectEachPublishedOnce(letters, harness: harness)
        #expect(try await harness.count("SELECT count(*) FROM replay_items WHERE state = 'published'") == 10_000)
        #expect(try await harness.count("SELECT count(*) FROM replay_items WHERE state = 'skipped'") == 2_000)
        await harness.database.drop()
    }

    private func expectEachPublishedOnce(_ letters: [DeadLetter], harness: ReplayHarness) async throws {
        let records = try await harness.readTopic(harness.originalTopic)
        var published: [DLQCoordinate: Int] = [:]
        for record in records {
            if let origin = ReplayHarness.origin(of: record) { published[origin, default: 0] += 1 }
        }
        // Counts, not the events: a failure message listing thousands of dead letters is unreadable.
        let twice = published.filter { $0.value > 1 }.count
        let missing = letters.filter { published[$0.coordinate] == nil }.count
        #expect(twice == 0, "events published more than once")
        #expect(missing == 0, "events never published")
        #expect(records.count == letters.count)
    }
}

extension JSONDecoder {
    static var iso8601: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
