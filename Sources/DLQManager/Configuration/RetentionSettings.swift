import DLQCore

/// How long the daemon keeps dead letters that are done with (resolved or replayed); see ``RetentionService``.
public struct RetentionSettings: Sendable {
    /// Resolved and replayed dead letters ingested longer ago than this are purged. Nil keeps them forever.
    public var purgeAfter: Age?
    /// How often the daemon looks for dead letters to purge.
    public var interval: Duration

    public init(purgeAfter: Age? = nil, interval: Duration = .seconds(3600)) {
        self.purgeAfter = purgeAfter
        self.interval = interval
    }
}
