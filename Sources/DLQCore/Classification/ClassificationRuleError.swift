/// A classification rule that cannot be built, reported when the rules are loaded rather than when the first
/// dead letter reaches it.
///
/// Names the rule and the condition so the operator can find the line in the configuration file. The pattern is
/// configuration, not payload, so showing it leaks nothing.
public struct ClassificationRuleError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The rule's name.
    public var rule: String
    /// The condition at fault, spelled as in ``RuleMatch``: `exceptionClass`, `message`, `dlqTopic`,
    /// `originalTopic`, `consumerGroup`, or `headers[NAME]`.
    public var field: String
    /// What is wrong with it.
    public var problem: String

    public init(rule: String, field: String, problem: String) {
        self.rule = rule
        self.field = field
        self.problem = problem
    }

    public var description: String {
        "classification rule \"\(rule)\", \(field): \(problem)"
    }
}
