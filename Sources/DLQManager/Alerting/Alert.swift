import DLQCore
import Foundation

/// One notification about one error group, as handed to a sink. Built by the dispatcher from the group's
/// current state when it is delivered, so counts are as fresh as the moment of sending.
public struct Alert: Sendable {
    public enum Kind: String, Sendable {
        /// The group is failing: first alert, or a repeat with what arrived since.
        case trigger
        /// The group has no unresolved dead letters left.
        case resolve
        /// Sent by `dlq alerts test SINK` to check a sink's configuration end to end.
        case test
    }

    public var kind: Kind
    /// Unique per notification (retries of the same notification keep it), so receivers can deduplicate.
    public var deliveryID: String
    /// The error group's fingerprint: PagerDuty's `dedup_key`, Alertmanager's `fingerprint` label.
    public var fingerprint: String
    public var errorClass: String
    public var severity: Severity
    public var dlqTopic: String?
    public var originalTopic: String?
    public var consumerGroup: String?
    public var exceptionClass: String?
    /// The normalized message shared by the group (`Card declined for order <num>`).
    public var messagePattern: String?
    /// The message of one dead letter of the group.
    public var exampleMessage: String?
    /// Where that example can be found: `dlq show ID`.
    public var exampleDeadLetterID: Int64?
    public var exampleCoordinate: DLQCoordinate?
    /// The example's headers whose values are text, for context (redaction applies).
    public var exampleHeaders: [String: String]
    /// Dead letters in the group, ever.
    public var eventCount: Int64
    /// Dead letters in the group not yet replayed or resolved.
    public var unresolvedCount: Int64
    /// Arrivals folded into this notification since the previous one.
    public var newEvents: Int64
    public var firstSeen: Date
    public var lastSeen: Date
    /// When the notification was created (the first attempt); `startsAt` for Alertmanager.
    public var createdAt: Date

    public init(
        kind: Kind, deliveryID: String, fingerprint: String, errorClass: String, severity: Severity,
        dlqTopic: String? = nil, originalTopic: String? = nil, consumerGroup: String? = nil,
        exceptionClass: String? = nil, messagePattern: String? = nil, exampleMessage: String? = nil,
        exampleDeadLetterID: Int64? = nil, exampleCoordinate: DLQCoordinate? = nil,
        exampleHeaders: [String: String] = [:], eventCount: Int64, unresolvedCount: Int64, newEvents: Int64,
        firstSeen: Date, lastSeen: Date, createdAt: Date
    ) {
        self.kind = kind
        self.deliveryID = deliveryID
        self.fingerprint = fingerprint
        self.errorClass = errorClass
        self.severity = severity
        self.dlqTopic = dlqTopic
        self.originalTopic = originalTopic
        self.consumerGroup = consumerGroup
        self.exceptionClass = exceptionClass
        self.messagePattern = messagePattern
        self.exampleMessage = exampleMessage
        self.exampleDeadLetterID = exampleDeadLetterID
        self.exampleCoordinate = exampleCoordinate
        self.exampleHeaders = exampleHeaders
        self.eventCount = eventCount
        self.unresolvedCount = unresolvedCount
        self.newEvents = newEvents
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.createdAt = createdAt
    }
}
