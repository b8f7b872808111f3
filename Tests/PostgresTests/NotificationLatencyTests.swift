import Foundation
import Postgres
import Testing

/// The alert path's wake-up time: from a NOTIFY's commit to its arrival at a listener, over 200 notifications
/// sent one at a time to an idle listener. Prints the percentiles. Serialized, and best run alone, so the
/// figures are not shared with other tests: `swift test --filter NotificationLatencyTests`.
@Suite(.temporaryDatabase, .serialized, .timeLimit(.minutes(1)))
struct NotificationLatencyTests {
    private static let count = 200

    @Test func aNotificationArrivesWithinMillisecondsOfItsCommit() async throws {
        let channel = TestDatabase.uniqueChannel("dlq_latency")
        let listener = try await TestDatabase.listen(to: [channel])
        let sender = try await TestDatabase.connect()
        let clock = ContinuousClock()

        // Arrival times are taken by a task of their own, because a notification can arrive before the
        // sender has even read its own statement's result.
        let consumer = Task {
            var arrivals: [(payload: String, at: ContinuousClock.Instant)] = []
            for await notification in listener.notifications {
                arrivals.append((notification.payload, clock.now))
                if arrivals.count == Self.count {
                    break
                }
            }
            return arrivals
        }
        // The commit happens somewhere between sending the statement and reading its result.
        var sent: [(sending: ContinuousClock.Instant, committed: ContinuousClock.Instant)] = []
        for index in 0..<Self.count {
            let sending = clock.now
            try await sender.execute("SELECT pg_notify(\(channel), \(String(index)))")
            sent.append((sending, clock.now))
            // An idle listener, waiting on its socket, is the alert path's case, not one still busy with the last.
            try await Task.sleep(for: .milliseconds(2))
        }
        let arrivals = await consumer.value
        await sender.close()
        await listener.close()

        #expect(arrivals.map(\.payload) == (0..<Self.count).map { String($0) })
        guard arrivals.count == Self.count else {
            return
        }
        let sinceSending = zip(sent, arrivals).map { $1.at - $0.sending }
        let sinceResult = zip(sent, arrivals).map { $1.at - $0.committed }
        let roundTrips = sent.map { $0.committed - $0.sending }
        print("""
            NOTIFY latency over \(Self.count) notifications (ms, p50 / p90 / p99 / max):
              statement sent -> arrival:   \(Self.summary(sinceSending))
              result read    -> arrival:   \(Self.summary(sinceResult))  (negative: arrived first)
              sender's round trip:         \(Self.summary(roundTrips))
            """)
        // A figure, not an assertion (performance is reported by benchmarks, never asserted by tests); the
        // test itself checks that every notification arrived, in order.
    }

    private static func percentile(_ durations: [Duration], _ fraction: Double) -> Duration {
        let sorted = durations.sorted()
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
    }

    private static func summary(_ durations: [Duration]) -> String {
        [0.5, 0.9, 0.99, 1.0].map { fraction in
            let duration = percentile(durations, fraction)
            let milliseconds = Double(duration.components.seconds) * 1_000 + Double(duration.components.attoseconds) / 1e15
            return String(format: "%.3f", milliseconds)
        }.joined(separator: " / ")
    }
}
