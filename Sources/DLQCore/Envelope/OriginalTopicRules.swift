/// How to guess a dead letter's original topic from the DLQ topic's name when the record does not say.
///
/// The suffixes are the naming conventions of the common producers: Spring's `DeadLetterPublishingRecoverer`
/// appends `.DLT` (its retry topics use `-dlt`), hand-rolled ones `.dlq`/`-dlq`. Configurable because teams
/// name their DLQs their own way.
public struct OriginalTopicRules: Sendable, Hashable {
    /// Tried in order; the first one the DLQ topic ends with is stripped. Case-sensitive, as Kafka topic names are.
    public var suffixes: [String]

    public static let `default` = OriginalTopicRules(suffixes: [".dlq", "-dlq", ".DLT", "-dlt"])

    public init(suffixes: [String]) {
        self.suffixes = suffixes
    }

    /// The original topic the DLQ topic's name implies, or nil when no suffix matches or nothing would remain.
    public func originalTopic(forDLQTopic dlqTopic: String) -> String? {
        for suffix in suffixes where !suffix.isEmpty && dlqTopic.hasSuffix(suffix) {
            let original = String(dlqTopic.dropLast(suffix.count))
            if !original.isEmpty { return original }
        }
        return nil
    }
}
