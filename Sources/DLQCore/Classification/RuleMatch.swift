/// The conditions of one classification rule: every condition given must hold, `nil` means "don't care".
///
/// Each condition is a regular expression in ICU syntax (as `NSRegularExpression` reads it). Identifiers
/// (exception class, topics, consumer group, header values) must match as a whole, so `com\.acme\.Timeout` does
/// not also catch `com\.acme\.TimeoutRetryExhausted`; write `.*Timeout.*` to mean "contains". The error message
/// is searched instead, because rules pick out a phrase from a sentence.
///
/// A condition on a field the dead letter lacks (no exception class, no such header, a null header value) does
/// not hold, even for `.*`: absent is not the same as empty. A rule with no conditions matches every letter,
/// which is how a catch-all rule is written.
public struct RuleMatch: Sendable {
    /// Must match the whole of ``DeadLetter/exceptionClass``.
    public var exceptionClass: String?
    /// Searched for anywhere in ``DeadLetter/errorMessage``.
    public var message: String?
    /// Must match the whole topic the dead letter was read from.
    public var dlqTopic: String?
    /// Must match the whole of ``DeadLetter/originalTopic``.
    public var originalTopic: String?
    /// Must match the whole of ``DeadLetter/consumerGroup``.
    public var consumerGroup: String?
    /// Header name, in any case, to a pattern the whole header value must match, read as UTF-8 text (invalid
    /// sequences become U+FFFD). When a header repeats, the last one counts, as everywhere else in the manager.
    public var headers: [String: String]

    public init(
        exceptionClass: String? = nil,
        message: String? = nil,
        dlqTopic: String? = nil,
        originalTopic: String? = nil,
        consumerGroup: String? = nil,
        headers: [String: String] = [:]
    ) {
        self.exceptionClass = exceptionClass
        self.message = message
        self.dlqTopic = dlqTopic
        self.originalTopic = originalTopic
        self.consumerGroup = consumerGroup
        self.headers = headers
    }
}
