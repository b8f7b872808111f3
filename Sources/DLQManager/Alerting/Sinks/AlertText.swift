import Foundation

/// The wording and formats shared by every sink, so a page, a Slack line and a webhook describe a group alike.
enum AlertText {
    /// `12 dead letters: PaymentDeclinedException: Card declined for order <num> (payments)`, the one line that
    /// names a problem. Built from the exception class and message pattern, falling back to the error class.
    static func summary(_ alert: Alert) -> String {
        let noun = alert.eventCount == 1 ? "dead letter" : "dead letters"
        let what = [alert.exceptionClass, alert.messagePattern].compactMap { $0?.isEmpty == false ? $0 : nil }
        var line = "\(alert.eventCount) \(noun): " + (what.isEmpty ? alert.errorClass : what.joined(separator: ": "))
        if let topic = alert.originalTopic ?? alert.dlqTopic, !topic.isEmpty {
            line += " (\(topic))"
        }
        return line
    }

    /// What a `test` notification says, so nobody mistakes it for an incident.
    static func testSummary(_ alert: Alert, sink: String) -> String {
        "Test alert from DLQ Manager sink '\(sink)' (no action needed): \(summary(alert))"
    }

    /// ISO-8601 with milliseconds in UTC (`2026-01-31T12:34:56.789Z`): the form PagerDuty, Alertmanager and the
    /// webhook schema all accept.
    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// Whole seconds since the Unix epoch, the webhook signature's `t`.
    static func unixSeconds(_ date: Date) -> Int64 {
        Int64(date.timeIntervalSince1970.rounded(.down))
    }

    /// `text` cut to at most `limit` characters, ending in `…` when cut: receivers reject or truncate over-long
    /// fields themselves, less legibly.
    static func truncated(_ text: String, to limit: Int) -> String {
        guard text.count > limit else { return text }
        return String(text.prefix(max(0, limit - 1))) + "…"
    }
}
