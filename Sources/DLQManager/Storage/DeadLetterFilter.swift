import DLQCore
import Foundation

/// Which stored dead letters an operator asked for. Every field narrows; nil means "any".
public struct DeadLetterFilter: Sendable {
    public var dlqTopic: String?
    public var originalTopic: String?
    public var format: EnvelopeFormat?
    public var status: String?
    /// Ingested at or after.
    public var since: Date?
    /// Ingested before.
    public var until: Date?
    public var traceID: String?
    /// Keyset pagination: only rows older than this id (ids grow with ingestion).
    public var beforeID: Int64?

    public init() {}
}
