import Foundation

/// One mutating action as the audit trail keeps it: who, when, why, on what, and what happened.
public struct AuditEntry: Sendable, Codable, Equatable {
    public var id: Int64
    public var at: Date
    /// The operator's name, or `system:<what>` for actions the daemon takes on its own.
    public var operatorName: String
    /// `replay`, `replay-resume`, `replay-cancel`, `resolve`, `purge`, `retention`, `auto-replay`...
    public var action: String
    public var reason: String?
    /// The selection in its canonical form.
    public var selection: String?
    public var eventCount: Int64?
    public var jobID: Int64?
    public var outcome: String

    enum CodingKeys: String, CodingKey {
        case id, at, operatorName = "operator", action, reason, selection, eventCount = "event_count"
        case jobID = "job_id", outcome
    }
}
