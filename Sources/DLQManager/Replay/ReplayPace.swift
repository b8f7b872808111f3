/// When each step of a rate-limited replay may be sent.
///
/// Each step is paced from the one before it, not from the start of the run. After a stall (a slow broker,
/// a paused process, a starved machine) the job goes on at its rate instead of catching up in a burst above
/// it: `--rate` protects the consumers of the original topic, and a burst is what they were protected from.
struct ReplayPace {
    let eventsPerSecond: Int
    private var earliestNextStep: ContinuousClock.Instant?

    init(eventsPerSecond: Int) {
        self.eventsPerSecond = eventsPerSecond
    }

    /// Books a step of `count` events that is ready at `now`, and returns when it may be sent.
    mutating func book(_ count: Int, now: ContinuousClock.Instant) -> ContinuousClock.Instant {
        let sendAt = max(earliestNextStep ?? now, now)
        earliestNextStep = sendAt + .seconds(Double(count) / Double(eventsPerSecond))
        return sendAt
    }
}
