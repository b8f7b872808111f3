/// A small JSON value materialised for reading metadata such as `failureMetadata`.
///
/// Only ever built by ``JSONValueBuilder`` with a depth limit, so neither building nor destroying one can
/// recurse deeply. Numbers keep their lexeme so integers are read exactly rather than through `Double`.
enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([JSONObjectMember])
    /// A container nested deeper than the builder's limit: validated but not materialised.
    case tooDeep

    /// The last member named `name` (RFC 8259 leaves duplicates open; last-wins matches most parsers).
    subscript(member name: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.last { $0.name == name }?.value
    }

    /// For notes: what a value is, without echoing its content.
    var kindDescription: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        case .tooDeep: "a value nested too deeply"
        }
    }
}
