import DLQCore

/// What an operator asks a replay to do, before it becomes a ``ReplayJob``.
public struct ReplayRequest: Sendable {
    public var selection: DeadLetterSelection
    /// nil: each event goes back to its original topic.
    public var targetTopic: String?
    /// Send to the original partition instead of partitioning by key.
    public var preservePartition: Bool
    /// Events per second; nil is as fast as the broker takes them.
    public var rate: Int?
    public var operatorName: String
    public var reason: String?
    /// Replays allowed per event for this job; nil: the configured `replay.max_replays`.
    public var maxReplays: Int?
    /// Leave events already at the limit out of the job instead of selecting them to skip and flag them: for
    /// auto-replay, which would otherwise select them again every round.
    public var skipEventsAtLimit: Bool

    /// - Parameter selection: see ``DeadLetterSelection/forReplay``.
    public init(
        selection: DeadLetterSelection,
        targetTopic: String? = nil,
        preservePartition: Bool = false,
        rate: Int? = nil,
        operatorName: String,
        reason: String? = nil,
        maxReplays: Int? = nil,
        skipEventsAtLimit: Bool = false
    ) {
        self.selection = selection.forReplay
        self.targetTopic = targetTopic
        self.preservePartition = preservePartition
        self.rate = rate
        self.operatorName = operatorName
        self.reason = reason
        self.maxReplays = maxReplays
        self.skipEventsAtLimit = skipEventsAtLimit
    }
}

extension DeadLetterSelection {
    /// The selection a replay uses: one that does not name a status means the events still failing. Replaying
    /// what was replayed already, or resolved, takes an explicit `status=` term.
    public var forReplay: DeadLetterSelection {
        var selection = self
        if selection.statuses.isEmpty { selection.statuses = [.new] }
        return selection
    }
}
