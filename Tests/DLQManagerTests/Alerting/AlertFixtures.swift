import DLQCore
import DLQManager
import Foundation

/// The alerts and sink settings the sink tests send: one realistic group with every field set, so each payload
/// can be checked field by field against known values.
enum AlertFixtures {
    /// 2026-01-01T00:00:00Z.
    static let firstSeen = Date(timeIntervalSince1970: 1_767_225_600)
    /// 2026-01-01T00:02:05.500Z.
    static let lastSeen = firstSeen.addingTimeInterval(125.5)
    /// 2026-01-01T00:02:10.000Z.
    static let createdAt = firstSeen.addingTimeInterval(130)
    /// 2026-01-01T00:03:00.250Z: the attempt's time.
    static let now = firstSeen.addingTimeInterval(180.25)

    static let fingerprint = "9f2c4e1ab37d5608"
    static let routingKey = "R0UT1NGKEY0123456789abcdefABCDEF"
    static let hmacKey = "whsec_test-key-4c1d"
    static let slackToken = "XyZsecretT0ken1234"

    static func alert(kind: Alert.Kind = .trigger) -> Alert {
        Alert(
            kind: kind,
            deliveryID: "d-7f3a",
            fingerprint: fingerprint,
            errorClass: "payment-declined",
            severity: .critical,
            dlqTopic: "payments.dlq",
            originalTopic: "payments",
            consumerGroup: "payment-service",
            exceptionClass: "PaymentDeclinedException",
            messagePattern: "Card declined for order <num>",
            exampleMessage: "Card declined for order 1234",
            exampleDeadLetterID: 42,
            exampleCoordinate: DLQCoordinate(topic: "payments.dlq", partition: 3, offset: 1017),
            exampleHeaders: ["trace-id": "abc123", "tenant": "acme"],
            eventCount: 12,
            unresolvedCount: 10,
            newEvents: 3,
            firstSeen: firstSeen,
            lastSeen: lastSeen,
            createdAt: createdAt
        )
    }

    /// Settings for a sink of `type` whose endpoint is `baseURL` (a ``RecordingHTTPServer``), with the secret
    /// each type needs.
    static func settings(_ type: SinkSettings.SinkType, baseURL: String, name: String? = nil) -> SinkSettings {
        let name = name ?? "\(type.rawValue)-test"
        switch type {
        case .pagerduty:
            return SinkSettings(
                name: name, type: type, url: baseURL + "/v2/enqueue", secret: Secret(routingKey), source: "dlq-host-1"
            )
        case .slack:
            return SinkSettings(
                name: name, type: type, secret: Secret(slackURL(baseURL: baseURL)), source: "dlq-host-1"
            )
        case .webhook:
            return SinkSettings(
                name: name, type: type, url: baseURL + "/hooks/dlq", secret: Secret(hmacKey), source: "dlq-host-1"
            )
        case .alertmanager:
            return SinkSettings(name: name, type: type, url: baseURL, source: "dlq-host-1")
        }
    }

    /// A Slack-shaped webhook URL whose last path segment is the token that must never be logged.
    static func slackURL(baseURL: String) -> String {
        baseURL + "/services/T0000/B0000/" + slackToken
    }
}
