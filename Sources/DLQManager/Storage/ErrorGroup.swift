import Foundation

/// Dead letters sharing a fingerprint, as `dlq groups` shows them.
public struct ErrorGroup: Sendable, Encodable {
    public var fingerprint: String
    public var status: String
    public var errorClass: String
    public var severity: String
    public var action: String
    public var ruleName: String
    public var exceptionClass: String?
    public var messagePattern: String?
    public var originalTopic: String?
    public var consumerGroup: String?
    public var dlqTopic: String?
    public var eventCount: Int64
    public var unresolvedCount: Int64
    /// Dead letters that arrived again after a replay of their event (recognised by the lineage headers).
    public var recurrenceCount: Int64
    public var firstSeen: Date
    public var lastSeen: Date
    public var exampleDeadLetterID: Int64?
    public var exampleMessage: String?
    public var lastAlertedAt: Date?
    /// How many of its dead letters a selection matched, when the groups were listed with one.
    public var matchingCount: Int64?

    enum CodingKeys: String, CodingKey {
        case fingerprint, status, severity, action
        case errorClass = "error_class", ruleName = "rule_name", exceptionClass = "exception_class"
        case messagePattern = "message_pattern", originalTopic = "original_topic", consumerGroup = "consumer_group"
        case dlqTopic = "dlq_topic", eventCount = "event_count", unresolvedCount = "unresolved_count"
        case recurrenceCount = "recurrence_count"
        case firstSeen = "first_seen", lastSeen = "last_seen", exampleDeadLetterID = "example_dead_letter_id"
        case exampleMessage = "example_message", lastAlertedAt = "last_alerted_at", matchingCount = "matching_count"
    }
}
