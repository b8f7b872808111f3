import Foundation

/// PagerDuty Events API v2: one `trigger` per notification with `dedup_key` = the group's fingerprint, so every
/// repeat lands on the same incident, and a `resolve` with the same key when the group is handled.
///
/// A `test` notification is a trigger under its own `dlq-manager-test-<deliveryID>` key so it never touches a
/// real incident; it opens a test incident that someone resolves by hand.
struct PagerDutySink: AlertSink {
    let settings: SinkSettings
    let url: String

    var supportsResolve: Bool { true }

    /// PagerDuty's own limits: longer summaries and dedup keys are rejected.
    static let summaryLimit = 1024
    static let dedupKeyLimit = 255

    /// Keys PagerDuty needs to route and deduplicate the event, and `severity`, which must be one of its four
    /// words: redacting any of them would turn every delivery into a permanent 400.
    static let protectedKeys: Set<String> = ["routing_key", "event_action", "dedup_key", "severity"]

    func request(for alert: Alert, redaction: AlertRedaction, now: Date) throws -> AlertHTTPRequest {
        let routingKey = settings.secret?.revealed() ?? ""
        let alert = redaction.redact(alert)
        let event: AlertJSON
        switch alert.kind {
        case .resolve:
            // PagerDuty ignores a payload on resolve; sending none keeps example data off the wire.
            event = .object([
                (key: "routing_key", value: .string(routingKey)),
                (key: "event_action", value: .string("resolve")),
                (key: "dedup_key", value: .string(dedupKey(alert))),
            ])
        case .trigger, .test:
            event = .object([
                (key: "routing_key", value: .string(routingKey)),
                (key: "event_action", value: .string("trigger")),
                (key: "dedup_key", value: .string(dedupKey(alert))),
                (key: "client", value: .string("DLQ Manager")),
                (key: "payload", value: payload(alert)),
            ])
        }
        let body = redaction.redact(event, protecting: Self.protectedKeys).serialized()
        return AlertHTTPRequest(
            url: url,
            headers: [(name: "Content-Type", value: "application/json")],
            body: body,
            secrets: settings.secret.map { [$0] } ?? []
        )
    }

    private func dedupKey(_ alert: Alert) -> String {
        let key = alert.kind == .test ? "dlq-manager-test-\(alert.deliveryID)" : alert.fingerprint
        return String(key.prefix(Self.dedupKeyLimit))
    }

    private func payload(_ alert: Alert) -> AlertJSON {
        let summary = alert.kind == .test ? AlertText.testSummary(alert, sink: settings.name) : AlertText.summary(alert)
        return .compactObject([
            ("summary", .string(AlertText.truncated(summary, to: Self.summaryLimit))),
            ("source", .string(settings.source)),
            ("severity", .string(alert.severity.rawValue)),
            // The latest arrival is when the problem was last observed, which is what PagerDuty shows.
            ("timestamp", .string(AlertText.timestamp(alert.lastSeen))),
            ("component", alert.originalTopic.map(AlertJSON.string)),
            ("group", alert.consumerGroup.map(AlertJSON.string)),
            ("class", .string(alert.errorClass)),
            ("custom_details", customDetails(alert)),
        ])
    }

    private func customDetails(_ alert: Alert) -> AlertJSON {
        .compactObject([
            ("fingerprint", .string(alert.fingerprint)),
            ("dlq_topic", alert.dlqTopic.map(AlertJSON.string)),
            ("original_topic", alert.originalTopic.map(AlertJSON.string)),
            ("exception_class", alert.exceptionClass.map(AlertJSON.string)),
            ("message_pattern", alert.messagePattern.map(AlertJSON.string)),
            ("event_count", .int(alert.eventCount)),
            ("unresolved_count", .int(alert.unresolvedCount)),
            ("new_events", .int(alert.newEvents)),
            ("first_seen", .string(AlertText.timestamp(alert.firstSeen))),
            ("last_seen", .string(AlertText.timestamp(alert.lastSeen))),
            ("example_message", alert.exampleMessage.map(AlertJSON.string)),
            ("example_dead_letter_id", alert.exampleDeadLetterID.map(AlertJSON.int)),
            ("example_coordinate", alert.exampleCoordinate.map { coordinate in
                .object([
                    (key: "topic", value: .string(coordinate.topic)),
                    (key: "partition", value: .int(Int64(coordinate.partition))),
                    (key: "offset", value: .int(coordinate.offset)),
                ])
            }),
            ("example_headers", .object(alert.exampleHeaders.sorted { $0.key < $1.key }.map {
                (key: $0.key, value: .string($0.value))
            })),
        ])
    }
}
