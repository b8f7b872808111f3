import Foundation

/// Prometheus Alertmanager: `POST <base>/api/v2/alerts` with one postable alert whose labels identify the group
/// (`alertname="DeadLetters"`, topics, class, severity, fingerprint, consumer group) and whose annotations
/// describe it.
///
/// Alertmanager treats an alert without `endsAt` as firing only until its `resolve_timeout` (5 minutes by
/// default) and then resolves it itself, so the dispatcher re-sends firing alerts more often than that; a
/// resolve sets `endsAt` to now. A `test` notification uses its own alert name and fingerprint and ends by
/// itself after ``testDuration``, so it never lingers nor touches a real alert.
struct AlertmanagerSink: AlertSink {
    let settings: SinkSettings
    let url: String

    var supportsResolve: Bool { true }

    static let alertName = "DeadLetters"
    static let testAlertName = "DeadLettersTest"
    static let testDuration: TimeInterval = 300

    /// Alertmanager identifies an alert by its whole label set: redacting `alertname` or `fingerprint` would
    /// merge every group into one alert. The timestamps decide firing versus resolved.
    static let protectedKeys: Set<String> = ["alertname", "fingerprint", "startsAt", "endsAt"]

    /// `<base>/api/v2/alerts`, whether or not the base ends in a slash.
    static func alertsURL(base: String) -> String {
        var trimmed = Substring(base)
        while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        return trimmed + "/api/v2/alerts"
    }

    func request(for alert: Alert, redaction: AlertRedaction, now: Date) throws -> AlertHTTPRequest {
        let alert = redaction.redact(alert)
        let body = redaction.redact(.array([postableAlert(alert, now: now)]), protecting: Self.protectedKeys)
        return AlertHTTPRequest(
            url: url,
            headers: [(name: "Content-Type", value: "application/json")],
            body: body.serialized()
        )
    }

    private func postableAlert(_ alert: Alert, now: Date) -> AlertJSON {
        let isTest = alert.kind == .test
        // Label values must be non-empty: an empty one is the same as the label being absent, so leave it out.
        func label(_ name: String, _ value: String?) -> (String, AlertJSON?) {
            (name, value.flatMap { $0.isEmpty ? nil : .string($0) })
        }
        let labels = AlertJSON.compactObject([
            label("alertname", isTest ? Self.testAlertName : Self.alertName),
            label("dlq_topic", alert.dlqTopic),
            label("original_topic", alert.originalTopic),
            label("error_class", alert.errorClass),
            label("severity", alert.severity.rawValue),
            label("fingerprint", isTest ? "dlq-manager-test-\(alert.deliveryID)" : alert.fingerprint),
            label("consumer_group", alert.consumerGroup),
        ])
        let summary = isTest ? AlertText.testSummary(alert, sink: settings.name) : AlertText.summary(alert)
        let annotations = AlertJSON.compactObject([
            ("summary", .string(summary)),
            ("description", .string(description(alert))),
            ("example_dead_letter_id", alert.exampleDeadLetterID.map { .string(String($0)) }),
            ("event_count", .string(String(alert.eventCount))),
        ])
        let startsAt = isTest ? now : alert.firstSeen
        let endsAt: Date? = switch alert.kind {
        // Alertmanager rejects an alert that ends before it starts.
        case .resolve: max(now, startsAt)
        case .test: now.addingTimeInterval(Self.testDuration)
        case .trigger: nil
        }
        return .compactObject([
            ("labels", labels),
            ("annotations", annotations),
            ("startsAt", .string(AlertText.timestamp(startsAt))),
            ("endsAt", endsAt.map { .string(AlertText.timestamp($0)) }),
        ])
    }

    private func description(_ alert: Alert) -> String {
        let firstSeen = AlertText.timestamp(alert.firstSeen)
        let lastSeen = AlertText.timestamp(alert.lastSeen)
        var lines = [
            "\(alert.unresolvedCount) unresolved of \(alert.eventCount) dead letters (\(alert.newEvents) new),"
                + " first seen \(firstSeen), last seen \(lastSeen).",
        ]
        if let message = alert.exampleMessage { lines.append("Example: \(message)") }
        if let id = alert.exampleDeadLetterID { lines.append("Inspect with: dlq show \(id)") }
        return lines.joined(separator: "\n")
    }
}
