/// Removes configured sensitive values from every payload before it leaves the process.
///
/// Two layers, because a sink's JSON keys are not the only place a value can appear (a PagerDuty summary or a
/// Slack line quotes the message pattern in free text):
/// 1. Before a payload is built, the alert itself is redacted: the values of `Alert.exampleHeaders` whose header
///    name is configured, and the alert's text fields whose payload name is configured (``alertFieldNames``), so
///    that summaries and messages built from them carry `<redacted>` too.
/// 2. After it is built, every JSON object key at any depth of the payload that matches a configured field has
///    its value replaced by `"<redacted>"` — except the few keys a receiver needs to route and deduplicate the
///    notification at all (a PagerDuty `routing_key`, an Alertmanager `alertname`), which each sink protects.
///
/// Matching is case-insensitive for both field and header names.
public struct AlertRedaction: Sendable {
    /// What replaces a redacted value.
    public static let marker = "<redacted>"

    /// No redaction: for tests and for configurations that list nothing.
    public static let none = AlertRedaction(fields: [], headers: [])

    /// The alert fields redaction layer 1 understands, by the name the payloads use for them.
    public static let alertFieldNames: [String] = [
        "error_class", "dlq_topic", "original_topic", "consumer_group", "exception_class", "message_pattern",
        "example_message", "example_headers",
    ]

    private let fields: Set<String>
    private let headers: Set<String>

    /// - Parameters:
    ///   - fields: JSON object keys (at any depth of the payload) whose values become `"<redacted>"`.
    ///   - headers: Header names whose values in `Alert.exampleHeaders` become `"<redacted>"`.
    public init(fields: [String], headers: [String]) {
        self.fields = Set(fields.map { $0.lowercased() })
        self.headers = Set(headers.map { $0.lowercased() })
    }

    /// The alert with configured headers and text fields replaced by the marker (layer 1).
    func redact(_ alert: Alert) -> Alert {
        guard !fields.isEmpty || !headers.isEmpty else { return alert }
        var redacted = alert
        let allHeaders = fields.contains("example_headers")
        redacted.exampleHeaders = alert.exampleHeaders.reduce(into: [:]) { result, header in
            let name = header.key.lowercased()
            let hide = allHeaders || headers.contains(name) || fields.contains(name)
            result[header.key] = hide ? Self.marker : header.value
        }
        func hide(_ name: String, _ value: String?) -> String? {
            guard value != nil, fields.contains(name) else { return value }
            return Self.marker
        }
        if fields.contains("error_class") { redacted.errorClass = Self.marker }
        redacted.dlqTopic = hide("dlq_topic", alert.dlqTopic)
        redacted.originalTopic = hide("original_topic", alert.originalTopic)
        redacted.consumerGroup = hide("consumer_group", alert.consumerGroup)
        redacted.exceptionClass = hide("exception_class", alert.exceptionClass)
        redacted.messagePattern = hide("message_pattern", alert.messagePattern)
        redacted.exampleMessage = hide("example_message", alert.exampleMessage)
        if fields.contains("dlq_topic"), var coordinate = alert.exampleCoordinate {
            // The coordinate names the DLQ topic again; hiding one and not the other would hide nothing.
            coordinate.topic = Self.marker
            redacted.exampleCoordinate = coordinate
        }
        return redacted
    }

    /// The payload with the values of configured keys replaced by the marker, at any depth (layer 2).
    ///
    /// - Parameter protected: Keys the receiver needs to accept or deduplicate the notification; never redacted.
    func redact(_ json: AlertJSON, protecting protected: Set<String>) -> AlertJSON {
        guard !fields.isEmpty else { return json }
        return redactTree(json, protecting: Set(protected.map { $0.lowercased() }))
    }

    private func redactTree(_ json: AlertJSON, protecting protected: Set<String>) -> AlertJSON {
        switch json {
        case .array(let elements):
            return .array(elements.map { redactTree($0, protecting: protected) })
        case .object(let members):
            return .object(members.map { member in
                let key = member.key.lowercased()
                if fields.contains(key), !protected.contains(key) {
                    return (key: member.key, value: .string(Self.marker))
                }
                return (key: member.key, value: redactTree(member.value, protecting: protected))
            })
        case .null, .bool, .int, .string:
            return json
        }
    }
}
