/// What the manager does when a dead letter of a given class arrives.
///
/// The raw values are how configuration and the database spell the actions.
public enum FailureAction: String, Sendable, CaseIterable {
    /// Wake someone: nothing recovers without a human.
    case page
    /// Tell a channel without waking anyone: worth knowing, not worth a night.
    case notify
    /// Store and group, stay quiet: known noise that would otherwise train people to ignore pages.
    case ignore
    /// Republish to the original topic after a cooldown: the failure is expected to pass on its own.
    case autoReplay = "auto-replay"
}
