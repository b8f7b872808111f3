import Synchronization

/// A token bucket per sink: bursts up to a minute's allowance, refilled continuously. Per daemon: N daemons
/// sharing the work can together send N times the configured rate, which the README says.
final class SinkRateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var refilledAt: ContinuousClock.Instant
    }

    private let perMinute: [String: Double]
    private let buckets: Mutex<[String: Bucket]>

    init(sinks: [SinkSettings]) {
        perMinute = Dictionary(uniqueKeysWithValues: sinks.map { ($0.name, Double($0.rateLimitPerMinute)) })
        let now = ContinuousClock.now
        buckets = Mutex(Dictionary(uniqueKeysWithValues: sinks.map { ($0.name, Bucket(tokens: Double($0.rateLimitPerMinute), refilledAt: now)) }))
    }

    /// Takes a token, or says how long until one is available.
    func acquire(_ sink: String) -> Duration? {
        guard let rate = perMinute[sink] else { return nil }
        return buckets.withLock { buckets in
            let now = ContinuousClock.now
            var bucket = buckets[sink] ?? Bucket(tokens: rate, refilledAt: now)
            let elapsed = bucket.refilledAt.duration(to: now)
            bucket.tokens = min(rate, bucket.tokens + elapsed.seconds * rate / 60)
            bucket.refilledAt = now
            defer { buckets[sink] = bucket }
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                return nil
            }
            return .milliseconds(Int64((1 - bucket.tokens) * 60_000 / rate) + 1)
        }
    }
}
