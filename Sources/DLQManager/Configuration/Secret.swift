/// A secret value (password, key) that prints as `<redacted>` wherever it ends up: logs, `config check`,
/// error messages. Read it with `revealed()` only at the point it is handed to a client library.
public struct Secret: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    private let value: String

    public init(_ value: String) {
        self.value = value
    }

    public func revealed() -> String { value }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
}
