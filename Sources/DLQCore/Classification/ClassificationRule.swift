/// One configured classification rule: conditions on a dead letter and the classification they lead to.
///
/// Immutable once built: the patterns are compiled from ``match`` in `init`, and ``Classification/ruleName`` is
/// ``name``, so letting either change afterwards would let the rule say one thing and do another.
public struct ClassificationRule: Sendable {
    public let name: String
    public let match: RuleMatch
    public let classification: Classification

    private let exceptionClass: RulePattern?
    private let message: RulePattern?
    private let dlqTopic: RulePattern?
    private let originalTopic: RulePattern?
    private let consumerGroup: RulePattern?
    private let headers: [(lowercasedName: String, pattern: RulePattern)]

    /// Compiles the patterns now, so a bad one is reported when the rules are loaded, naming the rule and the
    /// condition, instead of when the first dead letter reaches it.
    public init(
        name: String,
        match: RuleMatch,
        errorClass: String,
        severity: Severity,
        action: FailureAction
    ) throws(ClassificationRuleError) {
        func compile(
            _ source: String?, _ field: String, _ anchoring: RulePattern.Anchoring
        ) throws(ClassificationRuleError) -> RulePattern? {
            guard let source else { return nil }
            return try RulePattern(source, anchoring: anchoring, rule: name, field: field)
        }
        self.name = name
        self.match = match
        classification = Classification(errorClass: errorClass, severity: severity, action: action, ruleName: name)
        exceptionClass = try compile(match.exceptionClass, "exceptionClass", .wholeText)
        message = try compile(match.message, "message", .anywhere)
        dlqTopic = try compile(match.dlqTopic, "dlqTopic", .wholeText)
        originalTopic = try compile(match.originalTopic, "originalTopic", .wholeText)
        consumerGroup = try compile(match.consumerGroup, "consumerGroup", .wholeText)
        // Sorted so that with several bad header patterns the same one is reported on every start.
        var headers: [(lowercasedName: String, pattern: RulePattern)] = []
        for (headerName, source) in match.headers.sorted(by: { $0.key < $1.key }) {
            let pattern = try RulePattern(source, anchoring: .wholeText, rule: name, field: "headers[\(headerName)]")
            headers.append((headerName.lowercased(), pattern))
        }
        self.headers = headers
    }

    /// Whether every condition holds. Short fields are tried before the message, which may be kilobytes long;
    /// the order cannot change the answer.
    func matches(_ letter: DeadLetter) -> Bool {
        guard Self.holds(dlqTopic, on: letter.coordinate.topic),
              Self.holds(originalTopic, on: letter.originalTopic),
              Self.holds(consumerGroup, on: letter.consumerGroup),
              Self.holds(exceptionClass, on: letter.exceptionClass)
        else { return false }
        for (lowercasedName, pattern) in headers {
            guard let text = Self.lastHeaderText(named: lowercasedName, in: letter.headers), pattern.matches(text)
            else { return false }
        }
        return Self.holds(message, on: letter.errorMessage)
    }

    private static func holds(_ pattern: RulePattern?, on text: String?) -> Bool {
        guard let pattern else { return true }
        guard let text else { return false }
        return pattern.matches(text)
    }

    /// The last header of that name in any case, as text; nil when absent or when that last value is null, the
    /// same last-wins reading the envelope decoder gives repeated headers.
    private static func lastHeaderText(named lowercasedName: String, in headers: [RecordHeader]) -> String? {
        for header in headers.reversed() where name(header.name, equalsLowercased: lowercasedName) {
            return header.value.map { String(decoding: $0, as: UTF8.self) }
        }
        return nil
    }

    // Header names are nearly always ASCII: compare bytes folding ASCII case, and only lowercase whole strings
    // (allocating) when a non-ASCII byte turns up.
    private static func name(_ name: String, equalsLowercased lowercased: String) -> Bool {
        var nameBytes = name.utf8.makeIterator()
        var lowercasedBytes = lowercased.utf8.makeIterator()
        while true {
            switch (nameBytes.next(), lowercasedBytes.next()) {
            case (nil, nil):
                return true
            case let (byte?, expected?):
                if byte >= 0x80 || expected >= 0x80 {
                    return name.lowercased() == lowercased
                }
                let folded = (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
                guard folded == expected else { return false }
            default:
                return false
            }
        }
    }
}
