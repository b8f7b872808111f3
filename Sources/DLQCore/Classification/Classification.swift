/// What a rule concludes about a dead letter: what kind of failure it is, how bad, and what to do about it.
///
/// Stored with each dead letter together with the rule that produced it, so an operator can see why a letter
/// paged and re-classify stored letters after the rules change.
public struct Classification: Sendable, Hashable {
    /// The kind of failure, free text from configuration, e.g. `transient`, `poison`, `schema`, `bug`.
    public var errorClass: String
    public var severity: Severity
    public var action: FailureAction
    /// The rule that matched, or the default's name when none did.
    public var ruleName: String

    public init(errorClass: String, severity: Severity, action: FailureAction, ruleName: String) {
        self.errorClass = errorClass
        self.severity = severity
        self.action = action
        self.ruleName = ruleName
    }
}
