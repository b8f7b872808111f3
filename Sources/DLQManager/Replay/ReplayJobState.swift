/// Where a replay job is in its life.
public enum ReplayJobState: String, Sendable, Codable, CaseIterable {
    /// Created, no run has started yet.
    case pending
    /// A runner holds the job (or held it and died without saying so: see ``ReplayJob/runnerActive``).
    case running
    /// Stopped on request (Ctrl-C, SIGTERM) after the records in flight were settled; resumable.
    case interrupted
    /// Stopped by an error (broker or database); resumable once the cause is fixed.
    case failed
    /// Every item was published or skipped.
    case completed
    /// Stopped for good by `dlq replay cancel`; what was not published stays unpublished.
    case cancelled

    /// Whether `dlq replay resume` can pick the job up.
    public var isResumable: Bool { self != .completed && self != .cancelled }
}
