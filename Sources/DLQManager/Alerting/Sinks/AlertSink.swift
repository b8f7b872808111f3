import Foundation

/// A receiving system for alerts (PagerDuty, Slack, a generic webhook, Alertmanager): turns an ``Alert`` into the
/// one HTTP request that announces it. Sinks do no I/O; ``AlertHTTPClient`` sends what they build, so the
/// dispatcher owns retries, rate limits and timing in one place.
///
/// Build a fresh request for every attempt rather than reusing one: the generic webhook's signature carries the
/// time it was made, and receivers reject stale ones.
public protocol AlertSink: Sendable {
    var settings: SinkSettings { get }
    /// Whether the sink is sent ``Alert/Kind-swift.enum/resolve`` notifications. PagerDuty and Alertmanager close
    /// the incident or alert; Slack and the generic webhook post a "resolved" message so the channel or receiver
    /// that saw the trigger also sees the end.
    var supportsResolve: Bool { get }
    /// The request announcing `alert`, with `redaction` applied to its payload.
    ///
    /// - Parameter now: The time of this attempt: the webhook signature's timestamp, Alertmanager's `endsAt` on
    ///   resolve. Passed in so tests and retries are deterministic.
    func request(for alert: Alert, redaction: AlertRedaction, now: Date) throws -> AlertHTTPRequest
}
