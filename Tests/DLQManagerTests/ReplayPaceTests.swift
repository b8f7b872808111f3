@testable import DLQManager
import Testing

@Suite("Replay pace")
struct ReplayPaceTests {
    private let start = ContinuousClock.now

    @Test("steps go at the rate: 50 events at 1,000 a second are 50 ms apart")
    func steady() {
        var pace = ReplayPace(eventsPerSecond: 1_000)

        let sendTimes = (0..<4).map { _ in pace.book(50, now: start) }

        #expect(sendTimes == [start, start + .milliseconds(50), start + .milliseconds(100), start + .milliseconds(150)])
    }

    @Test("after a stall the job goes on at its rate instead of catching up in a burst")
    func noCatchUpAfterStall() {
        var pace = ReplayPace(eventsPerSecond: 1_000)
        _ = pace.book(50, now: start)
        _ = pace.book(50, now: start)

        let stalledUntil = start + .seconds(3)
        let afterStall = (0..<3).map { _ in pace.book(50, now: stalledUntil) }

        #expect(afterStall == [stalledUntil, stalledUntil + .milliseconds(50), stalledUntil + .milliseconds(100)])
    }
}
