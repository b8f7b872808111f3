import Foundation

/// One configured alert sink: where notifications go and with which credentials. Built by the configuration code
/// from YAML plus secrets from the environment; ``makeAlertSink(_:)`` validates it.
public struct SinkSettings: Sendable {
    /// The receiving system, which decides the payload format.
    public enum SinkType: String, Sendable, CaseIterable {
        case pagerduty
        case slack
        case webhook
        case alertmanager
    }

    /// Operator-chosen and unique among sinks, e.g. `pagerduty-payments`; names the sink in errors and metrics.
    public var name: String
    public var type: SinkType
    /// The endpoint. PagerDuty: defaults to ``SinkSettings/pagerDutyEventsURL``. Slack: must be nil, because a
    /// Slack webhook URL is itself the credential and belongs in ``secret``. Webhook: required. Alertmanager:
    /// the base URL (`http://127.0.0.1:9093`); `/api/v2/alerts` is appended.
    public var url: String?
    /// PagerDuty: the integration's routing key. Slack: the incoming-webhook URL. Webhook: the HMAC key.
    /// Alertmanager: none.
    public var secret: Secret?
    /// PagerDuty's `payload.source` and the generic webhook's `source`: which installation is reporting.
    public var source: String
    /// Notifications per minute the dispatcher lets through to this sink; not used by the sink itself.
    public var rateLimitPerMinute: Int

    /// PagerDuty's Events API v2 endpoint, used when a PagerDuty sink names no URL.
    public static let pagerDutyEventsURL = "https://events.pagerduty.com/v2/enqueue"

    public init(
        name: String,
        type: SinkType,
        url: String? = nil,
        secret: Secret? = nil,
        source: String = ProcessInfo.processInfo.hostName,
        rateLimitPerMinute: Int = 60
    ) {
        self.name = name
        self.type = type
        self.url = url
        self.secret = secret
        self.source = source
        self.rateLimitPerMinute = rateLimitPerMinute
    }
}
