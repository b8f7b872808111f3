import Crypto
import Foundation

/// A generic JSON webhook, documented by `Config/webhook-payload.schema.json`, signed so the receiver can tell
/// the notification came from us and was not replayed.
///
/// Headers: `X-DLQ-Delivery` (the delivery id, the same on every retry, for deduplication), `X-DLQ-Timestamp` and
/// `X-DLQ-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(key, "<t>.<body>")>`. The timestamp is inside the MAC
/// so a captured request cannot be replayed later with a fresh time; receivers reject old ones.
/// Resolve notifications are sent with `kind: "resolve"`.
struct WebhookSink: AlertSink {
    let settings: SinkSettings
    let url: String

    var supportsResolve: Bool { true }

    /// The payload's format version; bumped only for changes that would break an existing receiver.
    static let payloadVersion: Int64 = 1

    /// What receivers deduplicate and dispatch on: redacting these would leave them unable to.
    static let protectedKeys: Set<String> = ["version", "kind", "delivery_id"]

    func request(for alert: Alert, redaction: AlertRedaction, now: Date) throws -> AlertHTTPRequest {
        let alert = redaction.redact(alert)
        let body = redaction.redact(payload(alert), protecting: Self.protectedKeys).serialized()
        let key = settings.secret?.revealed() ?? ""
        let timestamp = AlertText.unixSeconds(now)
        return AlertHTTPRequest(
            url: url,
            headers: [
                (name: "Content-Type", value: "application/json"),
                (name: "X-DLQ-Delivery", value: alert.deliveryID),
                (name: "X-DLQ-Timestamp", value: String(timestamp)),
                (name: "X-DLQ-Signature", value: Self.signature(key: key, timestamp: timestamp, body: body)),
            ],
            body: body,
            secrets: settings.secret.map { [$0] } ?? []
        )
    }

    /// `t=<timestamp>,v1=<lowercase hex HMAC-SHA256(key, "<timestamp>.<body>")>`.
    static func signature(key: String, timestamp: Int64, body: [UInt8]) -> String {
        var signed = Array("\(timestamp).".utf8)
        signed.append(contentsOf: body)
        let mac = HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: Array(key.utf8)))
        let hex = mac.map { byte in
            let digits = String(byte, radix: 16)
            return byte < 16 ? "0" + digits : digits
        }.joined()
        return "t=\(timestamp),v1=\(hex)"
    }

    private func payload(_ alert: Alert) -> AlertJSON {
        .object([
            (key: "version", value: .int(Self.payloadVersion)),
            (key: "kind", value: .string(alert.kind.rawValue)),
            (key: "delivery_id", value: .string(alert.deliveryID)),
            (key: "source", value: .string(settings.source)),
            (key: "fingerprint", value: .string(alert.fingerprint)),
            (key: "error_class", value: .string(alert.errorClass)),
            (key: "severity", value: .string(alert.severity.rawValue)),
            (key: "summary", value: .string(AlertText.summary(alert))),
            (key: "dlq_topic", value: .optional(alert.dlqTopic)),
            (key: "original_topic", value: .optional(alert.originalTopic)),
            (key: "consumer_group", value: .optional(alert.consumerGroup)),
            (key: "exception_class", value: .optional(alert.exceptionClass)),
            (key: "message_pattern", value: .optional(alert.messagePattern)),
            (key: "example", value: .object([
                (key: "dead_letter_id", value: .optional(alert.exampleDeadLetterID)),
                (key: "message", value: .optional(alert.exampleMessage)),
                (key: "coordinate", value: alert.exampleCoordinate.map { coordinate in
                    .object([
                        (key: "topic", value: .string(coordinate.topic)),
                        (key: "partition", value: .int(Int64(coordinate.partition))),
                        (key: "offset", value: .int(coordinate.offset)),
                    ])
                } ?? .null),
                (key: "headers", value: .object(alert.exampleHeaders.sorted { $0.key < $1.key }.map {
                    (key: $0.key, value: .string($0.value))
                })),
            ])),
            (key: "counts", value: .object([
                (key: "events", value: .int(alert.eventCount)),
                (key: "unresolved", value: .int(alert.unresolvedCount)),
                (key: "new", value: .int(alert.newEvents)),
            ])),
            (key: "first_seen", value: .string(AlertText.timestamp(alert.firstSeen))),
            (key: "last_seen", value: .string(AlertText.timestamp(alert.lastSeen))),
            (key: "created_at", value: .string(AlertText.timestamp(alert.createdAt))),
        ])
    }
}
