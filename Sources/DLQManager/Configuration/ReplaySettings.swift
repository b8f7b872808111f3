/// How replay jobs run.
public struct ReplaySettings: Sendable {
    /// Replays allowed per event, counted across the dead letters it became; beyond it the event is skipped.
    public var maxReplays: Int
    /// Dead letters claimed, published and recorded per step.
    public var batchSize: Int

    public init(maxReplays: Int = 3, batchSize: Int = 2000) {
        self.maxReplays = maxReplays
        self.batchSize = batchSize
    }
}
