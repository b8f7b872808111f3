import DLQCore
import Foundation

/// A dead letter as read back from the store, with what the store added to it.
public struct StoredDeadLetter: Sendable {
    public var id: Int64
    public var letter: DeadLetter
    public var ingestedAt: Date
    public var status: String
    /// What the rules concluded at ingest (or the last `dlq reclassify`); nil for rows stored before classification.
    public var fingerprint: String?
    public var errorClass: String?
    public var severity: String?
    public var ruleName: String?
}
