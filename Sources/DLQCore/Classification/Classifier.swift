/// Classifies dead letters by the configured rules: the first rule whose conditions all hold decides.
///
/// First match wins, so rule files read top to bottom from the most specific rule to the most general, and a
/// letter never depends on how several matching rules would be merged.
public struct Classifier: Sendable {
    public let rules: [ClassificationRule]
    /// What a dead letter no rule matches gets. Paging by default: an unknown failure is one nobody has looked at.
    public let defaultClassification: Classification

    public init(
        rules: [ClassificationRule],
        defaultClassification: Classification = .init(
            errorClass: "unclassified", severity: .error, action: .page, ruleName: "default")
    ) {
        self.rules = rules
        self.defaultClassification = defaultClassification
    }

    public func classify(_ letter: DeadLetter) -> Classification {
        for rule in rules where rule.matches(letter) {
            return rule.classification
        }
        return defaultClassification
    }
}
