/// Exponential backoff with jitter for failed deliveries: retries spread out instead of hammering a sink
/// that is struggling, and `Retry-After` from the sink is never undercut.
struct RetryBackoff: Sendable {
    var initial: Duration
    var maximum: Duration

    /// The wait before attempt `attempts + 1`, between half and all of the exponential step.
    func delay(afterAttempt attempts: Int32, retryAfter: Duration?) -> Duration {
        let exponent = min(max(Int(attempts) - 1, 0), 20)
        let step = min(initial * (1 << exponent), maximum)
        let jittered = step * Double.random(in: 0.5...1.0)
        guard let retryAfter else { return jittered }
        return max(jittered, retryAfter)
    }
}
