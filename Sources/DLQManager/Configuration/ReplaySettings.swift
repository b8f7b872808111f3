/// How replay jobs run.
public struct ReplaySettings: Sendable {
    /// Replays allowed per event, counted across the dead letters it became; beyond it the event is skipped.
    public var maxReplays: Int
    /// Dead letters claimed, published and recorded per step.
    public var batchSize: Int
    /// How often the daemon looks for cooled-down dead letters of `auto-replay` rules.
    public var autoInterval: Duration

    public init(maxReplays: Int = 3, batchSize: Int = 2000, autoInterval: Duration = .seconds(10)) {
        self.maxReplays = maxReplays
        self.batchSize = batchSize
        self.autoInterval = autoInterval
    }
}
