import DLQCore
import Foundation

/// A replay job as stored, with what became of its items so far.
public struct ReplayJob: Sendable, Codable {
    public var id: Int64
    public var createdAt: Date
    public var operatorName: String
    public var reason: String?
    public var selection: String
    public var targetTopic: String?
    public var preservePartition: Bool
    public var rate: Int?
    /// Replays allowed per event for this job; nil: the configured `replay.max_replays`.
    public var maxReplays: Int?
    public var state: ReplayJobState
    public var cancelRequested: Bool
    public var runs: Int
    /// Events an interrupted run had published without recording it, found on the target topics on resume.
    public var recovered: Int64
    public var startedAt: Date?
    public var finishedAt: Date?
    public var lastError: String?
    public var items: ReplayItemCounts
    /// Dead letters that arrived again after this job replayed their event (recognised by lineage headers).
    public var recurrences: Int64
    /// Whether a runner holds the job right now (its database session is alive).
    public var runnerActive: Bool
    /// Whether the operator selected already-replayed events on purpose (`status=replayed`).
    var includesReplayed: Bool {
        (try? DeadLetterSelection(parsing: selection))?.statuses.contains(.replayed) ?? false
    }

    enum CodingKeys: String, CodingKey {
        case id, createdAt = "created_at", operatorName = "operator", reason, selection
        case targetTopic = "target_topic", preservePartition = "preserve_partition", rate, maxReplays = "max_replays", state
        case cancelRequested = "cancel_requested", runs, recovered, startedAt = "started_at"
        case finishedAt = "finished_at", lastError = "last_error", items, recurrences
        case runnerActive = "runner_active"
    }
}

/// How many of a job's items are in each state, and why the skipped ones were skipped.
public struct ReplayItemCounts: Sendable, Codable, Equatable {
    public var total: Int64 = 0
    public var pending: Int64 = 0
    public var published: Int64 = 0
    public var skipped: Int64 = 0
    public var cancelled: Int64 = 0
    public var skipReasons: [String: Int64] = [:]

    enum CodingKeys: String, CodingKey {
        case total, pending, published, skipped, cancelled, skipReasons = "skip_reasons"
    }
}
