#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension DeadLetterSelection {
    /// Reads a selection from its terms. (Placeholder: the full grammar lands with the selection parser.)
    public init(parsing text: String, now: Date = Date()) throws(SelectionSyntaxError) {
        self.init()
        for term in text.split(whereSeparator: \.isWhitespace) {
            guard let equals = term.firstIndex(of: "=") else {
                throw SelectionSyntaxError(term: String(term), expected: "field=value")
            }
            let field = term[..<equals], value = String(term[term.index(after: equals)...])
            switch field {
            case "id":
                guard let id = Int64(value) else { throw SelectionSyntaxError(term: String(term), expected: "an id") }
                ids.append(id...id)
            case "original_topic": originalTopics.append(value)
            case "dlq_topic": dlqTopics.append(value)
            case "class": errorClasses.append(value)
            default: throw SelectionSyntaxError(term: String(term), expected: "a known field")
            }
        }
    }
}

extension DeadLetterSelection: CustomStringConvertible {
    /// Placeholder until the selection parser lands.
    public var description: String {
        var terms: [String] = ids.map { "id=\($0.lowerBound)-\($0.upperBound)" }
        terms += originalTopics.map { "original_topic=\($0)" } + dlqTopics.map { "dlq_topic=\($0)" }
        terms += errorClasses.map { "class=\($0)" }
        return terms.joined(separator: " ")
    }
}
