/// A classification rule whose action is `auto-replay`: its dead letters are replayed by the daemon once they
/// have waited `cooldown`, up to `maxAttempts` replays per event (counted across the dead letters it became).
public struct AutoReplayPolicy: Sendable, Equatable {
    public var ruleName: String
    public var cooldown: Duration
    public var maxAttempts: Int

    public init(ruleName: String, cooldown: Duration, maxAttempts: Int) {
        self.ruleName = ruleName
        self.cooldown = cooldown
        self.maxAttempts = maxAttempts
    }
}
