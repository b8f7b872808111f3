/// A selection that could not be read, with the term that broke it and what was expected there.
public struct SelectionSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The offending term as written.
    public var term: String
    public var expected: String

    public init(term: String, expected: String) {
        self.term = term
        self.expected = expected
    }

    public var description: String { "selection term \"\(term)\": expected \(expected)" }
}
