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

    /// - Parameter selection: see ``DeadLetterSelection/forReplay``.
    public init(
        selection: DeadLetterSelection,
        targetTopic: String? = nil,
        preservePartition: Bool = false,
        rate: Int? = nil,
        operatorName: String,
        reason: String? = nil
    ) {
        self.selection = selection.forReplay
        self.targetTopic = targetTopic
        self.preservePartition = preservePartition
        self.rate = rate
        self.operatorName = operatorName
        self.reason = reason
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
