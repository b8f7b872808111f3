/// An error from PostgreSQL or from talking to it.
///
/// Server errors keep their SQLSTATE and diagnostic fields. ``description`` is safe to log: it holds only
/// the SQLSTATE and the primary message, because the server's DETAIL and CONTEXT (and the statement) often
/// quote row values, and dead letters can carry sensitive payloads. ``debugDescription`` has everything.
public struct PostgresError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// Where the error comes from, which decides what a caller can do about it.
    public enum Kind: Sendable, Hashable {
        /// Could not connect, or the connection was lost (or closed); retry on a new connection.
        case connection
        /// The server rejected the statement; ``PostgresError/sqlState`` says why.
        case server
        /// The client used the API wrongly or the server answered something unexpected.
        case `protocol`
        /// A result value could not be read as the requested Swift type.
        case decoding
    }

    public var kind: Kind
    /// The five-character SQLSTATE, e.g. `"23505"` for a unique violation; `nil` for client-side errors.
    public var sqlState: String?
    /// The primary, human-readable message.
    public var message: String
    /// The server's DETAIL: often contains row values, so it stays out of ``description``.
    public var detail: String?
    public var hint: String?
    /// The server's severity (`ERROR`, `FATAL`, `PANIC`), not localized.
    public var severity: String?
    /// The 1-based character position in the statement where the error was detected.
    public var statementPosition: Int?
    /// The server's CONTEXT ("WHERE" line): a call stack of PL/pgSQL functions or COPY line, may hold values.
    public var context: String?
    public var schemaName: String?
    public var tableName: String?
    public var columnName: String?
    public var constraintName: String?

    public init(kind: Kind, sqlState: String? = nil, message: String) {
        self.kind = kind
        self.sqlState = sqlState
        self.message = message
    }

    /// Whether the connection is unusable: connecting failed, the connection was lost, the server is
    /// shutting down (57P01/57P02/57P03) or a connection exception (class 08). Retry on a new connection.
    public var isConnectionFailure: Bool {
        if kind == .connection {
            return true
        }
        guard let sqlState else {
            return false
        }
        return sqlState.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(sqlState)
    }

    /// Whether a unique or primary-key constraint rejected the row (SQLSTATE 23505).
    public var isUniqueViolation: Bool {
        sqlState == "23505"
    }

    public var description: String {
        if let sqlState {
            return "PostgreSQL error \(sqlState): \(message)"
        }
        return "PostgreSQL \(kind) error: \(message)"
    }

    public var debugDescription: String {
        var fields = ["kind: \(kind)"]
        func add(_ name: String, _ value: CustomStringConvertible?) {
            if let value {
                fields.append("\(name): \(value)")
            }
        }
        add("sqlState", sqlState)
        add("severity", severity)
        add("message", message)
        add("detail", detail)
        add("hint", hint)
        add("position", statementPosition)
        add("context", context)
        add("schema", schemaName)
        add("table", tableName)
        add("column", columnName)
        add("constraint", constraintName)
        return "PostgresError(\(fields.joined(separator: ", ")))"
    }

    static func decoding(_ message: String) -> PostgresError {
        PostgresError(kind: .decoding, message: message)
    }

    static func misuse(_ message: String) -> PostgresError {
        PostgresError(kind: .protocol, message: message)
    }

    static let connectionClosed = PostgresError(kind: .connection, message: "the connection is closed")
}
