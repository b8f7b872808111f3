import DLQCore
import DLQManager
import Foundation
import Kafka
import Testing

extension FaultSuite {
    /// Replays interrupted by the broker, by SIGKILL, and by another job: afterwards every selected event is on
    /// the topic exactly once and recorded as published.
    @Suite("Replay under faults")
    struct ReplayFaults {
        @Test("produce requests failing mid-job: the job fails, resume publishes the rest, nothing twice")
        func produceErrorsMidJob() async throws {
            let report = FaultReport("produce request errors during a replay")
            let harness = try await ReplayHarness.make()
            let letters = try await harness.storeSamples(count: 5_000)
            // Small steps, so that the injected errors land in the middle of the job.
            let environment = ["DLQ_REPLAY_BATCH_SIZE": "250"]
            // 5 s at this rate: the injection lands mid-job even on a loaded machine.
            let replay = try DLQProcess(["replay", "original_topic=orders", "--rate", "1000", "--yes"], environment: harness.environment(environment))
            let before = try await harness.publishedWhen(atLeast: 1_000)
            // TOPIC_AUTHORIZATION_FAILED (29) is not retriable: the messages of those requests fail.
            harness.cluster.pushRequestErrors(apiKey: 0, errors: [29, 29, 29])
            report.injected("3 Produce requests answered TOPIC_AUTHORIZATION_FAILED after \(before) of 5,000 published")
            let first = try await replay.waitForExit()

            #expect(first == 1, "the run must fail on the injected errors; log:\n\(replay.log())")
            #expect(try await harness.publishedCount() < 5_000)
            report.verified("the run failed (exit 1) with part of the job published")
            // Errors left over from the injection may fail a resume too: resume until the job completes, as an
            // operator would.
            var job: ReplayJob?
            for _ in 1...5 where job?.state != .completed {
                let resumed = try await harness.replay(["resume", "1", "--json"])
                job = try JSONDecoder.iso8601.decode(ReplayJob.self, from: Data(resumed.output.utf8))
            }

            try await harness.expectEachPublishedOnce(letters)
            #expect(job?.state == .completed && job?.items.published == 5_000)
            #expect((job?.runs ?? 0) >= 2)
            report.verified("after \(job?.runs ?? 0) runs: completed, 5,000 recorded as published, each on the topic once")
            report.print()
            await harness.database.drop()
        }

        @Test("a replay killed with SIGKILL mid-job resumes without publishing anything twice")
        func sigkillMidJob() async throws {
            let report = FaultReport("replay process killed with SIGKILL")
            let harness = try await ReplayHarness.make()
            let letters = try await harness.storeSamples(count: 10_000)
            // 5 s at this rate: the kill lands mid-job even on a loaded machine.
            let replay = try DLQProcess(["replay", "original_topic=orders", "--rate", "2000", "--yes"], environment: harness.environment())
            _ = try await harness.publishedWhen(atLeast: 3_000)
            replay.signal(SIGKILL)
            _ = try await replay.waitForExit()
            let recordedAtKill = try await harness.publishedCount()
            report.injected("SIGKILL with \(recordedAtKill) of 10,000 recorded as published")
            #expect(recordedAtKill < 10_000, "the kill should land mid-job")

            let resumed = try await harness.replay(["resume", "1", "--json"])
            #expect(resumed.status == 0, "log:\n\(resumed.log)")

            try await harness.expectEachPublishedOnce(letters)
            let job = try JSONDecoder.iso8601.decode(ReplayJob.self, from: Data(resumed.output.utf8))
            #expect(job.state == .completed && job.runs == 2 && job.items.published == 10_000)
            report.verified("one resume completed the job: 10,000 recorded as published, each on the topic once")
            report.print()
            await harness.database.drop()
        }

        @Test("the broker down and back mid-job: the replay waits, then completes with nothing twice", FaultSuite.brokerOutages)
        func brokerDownMidJob() async throws {
            let report = FaultReport("Kafka broker down and back during a replay")
            let harness = try await ReplayHarness.make()
            let letters = try await harness.storeSamples(count: 5_000)
            let replay = try DLQProcess(
                // 5 s at this rate: the outage starts mid-job even on a loaded machine.
                ["replay", "original_topic=orders", "--rate", "1000", "--yes"],
                environment: harness.environment(["DLQ_REPLAY_BATCH_SIZE": "250", "DLQ_LOG_LEVEL": "info"])
            )
            let before = try await harness.publishedWhen(atLeast: 1_000)
            try harness.cluster.setBrokerDown(1)
            report.injected("the only broker's listener closed after \(before) of 5,000 published")
            // librdkafka's own log line, written at once; its error events wait for the next poll.
            try await eventually("the replay notices the broker is gone") { replay.log().contains("Connection refused") }
            let duringOutage = try await harness.publishedCount()
            try harness.cluster.setBrokerUp(1)
            report.injected("broker back once the replay logged the lost connection (\(duringOutage) published by then)")

            #expect(try await replay.waitForExit() == 0, "the producer retries until the broker is back; log:\n\(replay.log())")
            let job = try await harness.replay(["status", "1", "--json"])
            #expect(try JSONDecoder.iso8601.decode(ReplayJob.self, from: Data(job.output.utf8)).runs == 1)
            let retryCopies = try await harness.expectEachPublishedOnceBesidesRetryCopies(letters)
            #expect(try await harness.publishedCount() == 5_000)
            report.verified("the run itself completed: 5,000 recorded as published, every event on the topic")
            report.verified("no event sent twice by the replay; \(retryCopies) byte-identical copies from the producer's retries, which the mock broker does not deduplicate (a real broker does)")
            report.print()
            await harness.database.drop()
        }

        @Test("two concurrent jobs with overlapping selections publish each event once")
        func overlappingJobs() async throws {
            let report = FaultReport("two replay jobs with overlapping selections at once")
            let harness = try await ReplayHarness.make()
            let letters = try await harness.storeSamples(count: 10_000)
            let first = try DLQProcess(["replay", "id=1-6000", "--rate", "5000", "--yes"], environment: harness.environment())
            let second = try DLQProcess(["replay", "id=4001-10000", "--rate", "5000", "--yes"], environment: harness.environment())
            report.injected("jobs for ids 1-6000 and 4001-10000 started together (2,000 in both)")
            #expect(try await first.waitForExit() == 0, "log:\n\(first.log())")
            #expect(try await second.waitForExit() == 0, "log:\n\(second.log())")

            try await harness.expectEachPublishedOnce(letters)
            #expect(try await harness.publishedCount() == 10_000)
            #expect(try await harness.count("SELECT count(*) FROM replay_items WHERE state = 'skipped'") == 2_000)
            report.verified("10,000 published once each; the 2,000 in both were skipped by one of the jobs")
            report.print()
            await harness.database.drop()
        }
    }
}
