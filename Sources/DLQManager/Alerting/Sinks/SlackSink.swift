import DLQCore
import Foundation

/// A Slack incoming webhook: a fallback `text` line plus Block Kit `blocks` (a header, a section with the group's
/// facts as fields, a context line with the fingerprint and the `dlq show` command for the example).
///
/// Resolve notifications are sent as a short "resolved" message: a channel that saw the page should see its end.
/// The webhook URL is the credential, so it comes from the secret and never appears in a reason or log line.
struct SlackSink: AlertSink {
    let settings: SinkSettings

    var supportsResolve: Bool { true }

    /// Block Kit limits: a header's text, a section's text and each field's text.
    static let headerLimit = 150
    static let sectionTextLimit = 3000
    static let fieldLimit = 2000

    /// `type` names Block Kit structure; redacting it would make Slack reject every message.
    static let protectedKeys: Set<String> = ["type"]

    func request(for alert: Alert, redaction: AlertRedaction, now: Date) throws -> AlertHTTPRequest {
        let alert = redaction.redact(alert)
        let message = alert.kind == .resolve ? resolvedMessage(alert) : firingMessage(alert)
        let url = settings.secret?.revealed() ?? ""
        return AlertHTTPRequest(
            url: url,
            headers: [(name: "Content-Type", value: "application/json")],
            body: redaction.redact(message, protecting: Self.protectedKeys).serialized(),
            secrets: settings.secret.map { [$0] } ?? []
        )
    }

    private func firingMessage(_ alert: Alert) -> AlertJSON {
        let isTest = alert.kind == .test
        let summary = isTest ? AlertText.testSummary(alert, sink: settings.name) : AlertText.summary(alert)
        let header = (isTest ? "Test: " : "") + "Dead letters: \(alert.errorClass)"

        var fields: [String] = [
            "*Class*\n\(Self.escaped(alert.errorClass))",
            "*Severity*\n\(alert.severity.rawValue)",
        ]
        switch (alert.originalTopic, alert.dlqTopic) {
        case let (original?, dlq?): fields.append("*Topic*\n\(Self.escaped(original)) → \(Self.escaped(dlq))")
        case let (original?, nil): fields.append("*Topic*\n\(Self.escaped(original))")
        case let (nil, dlq?): fields.append("*DLQ topic*\n\(Self.escaped(dlq))")
        case (nil, nil): break
        }
        if let group = alert.consumerGroup {
            fields.append("*Consumer group*\n\(Self.escaped(group))")
        }
        fields.append(
            "*Dead letters*\n\(alert.eventCount) total, \(alert.unresolvedCount) unresolved, \(alert.newEvents) new"
        )

        return .object([
            (key: "text", value: .string("\(Self.marker(alert.severity)) \(Self.escaped(summary))")),
            (key: "blocks", value: .array([
                .object([
                    (key: "type", value: .string("header")),
                    (key: "text", value: Self.plainText(AlertText.truncated(header, to: Self.headerLimit))),
                ]),
                .object([
                    (key: "type", value: .string("section")),
                    (key: "text", value: Self.mrkdwn(Self.escaped(summary), limit: Self.sectionTextLimit)),
                    (key: "fields", value: .array(fields.map { Self.mrkdwn($0, limit: Self.fieldLimit) })),
                ]),
                context(alert),
            ])),
        ])
    }

    private func resolvedMessage(_ alert: Alert) -> AlertJSON {
        var line = ":white_check_mark: Resolved: \(Self.escaped(alert.errorClass))"
        if let topic = alert.originalTopic ?? alert.dlqTopic { line += " (\(Self.escaped(topic)))" }
        line += ": no unresolved dead letters left"
        return .object([
            (key: "text", value: .string(line)),
            (key: "blocks", value: .array([
                .object([
                    (key: "type", value: .string("section")),
                    (key: "text", value: Self.mrkdwn(line, limit: Self.sectionTextLimit)),
                ]),
                context(alert),
            ])),
        ])
    }

    private func context(_ alert: Alert) -> AlertJSON {
        var line = "Fingerprint \(Self.code(alert.fingerprint))"
        if let id = alert.exampleDeadLetterID {
            line += " · example: \(Self.code("dlq show \(id)"))"
        }
        return .object([
            (key: "type", value: .string("context")),
            (key: "elements", value: .array([Self.mrkdwn(line, limit: Self.sectionTextLimit)])),
        ])
    }

    private static func plainText(_ text: String) -> AlertJSON {
        .object([(key: "type", value: .string("plain_text")), (key: "text", value: .string(text))])
    }

    private static func mrkdwn(_ text: String, limit: Int) -> AlertJSON {
        .object([
            (key: "type", value: .string("mrkdwn")),
            (key: "text", value: .string(AlertText.truncated(text, to: limit))),
        ])
    }

    /// Slack reads `&`, `<` and `>` as control characters (links, `<!channel>` mentions), and message patterns
    /// are full of `<num>`: escaped, a dead letter's text can neither vanish nor ping a channel.
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;")
            .replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    /// An inline code span; a backtick inside would end it early.
    private static func code(_ text: String) -> String {
        "`" + escaped(text).replacingOccurrences(of: "`", with: "'") + "`"
    }

    private static func marker(_ severity: Severity) -> String {
        switch severity {
        case .critical: ":red_circle:"
        case .error: ":large_orange_circle:"
        case .warning: ":large_yellow_circle:"
        case .info: ":large_blue_circle:"
        }
    }
}
