import Foundation

/// A received JSON body, parsed by Foundation's `JSONDecoder` (independently of the serialiser under test) into
/// a value tests can walk: `body["payload"]["severity"].string`. A missing key reads as ``missing``, so a chain of
/// subscripts never traps and an assertion says what was absent.
enum JSONDocument: Decodable, Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONDocument])
    case object([String: JSONDocument])
    /// Not in the document: what a subscript returns for an absent key or index.
    case missing

    init(bytes: [UInt8]) throws {
        self = try JSONDecoder().decode(JSONDocument.self, from: Data(bytes))
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONDocument].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONDocument].self))
        }
    }

    subscript(key: String) -> JSONDocument {
        guard case .object(let members) = self else { return .missing }
        return members[key] ?? .missing
    }

    subscript(index: Int) -> JSONDocument {
        guard case .array(let elements) = self, elements.indices.contains(index) else { return .missing }
        return elements[index]
    }

    var string: String? {
        if case .string(let value) = self { value } else { nil }
    }

    var int: Int64? {
        if case .int(let value) = self { value } else { nil }
    }

    var array: [JSONDocument]? {
        if case .array(let value) = self { value } else { nil }
    }

    /// The object's keys, sorted; nil when this is not an object.
    var keys: [String]? {
        if case .object(let members) = self { members.keys.sorted() } else { nil }
    }

    var isNull: Bool { self == .null }
    var isMissing: Bool { self == .missing }
}
