/// A SQL statement whose interpolated values become bind parameters (`$1`, `$2`, ...).
///
/// ```swift
/// let query: PostgresQuery = "SELECT * FROM dead_letters WHERE topic = \(topic) AND id > \(lastID)"
/// ```
/// Interpolated values never become SQL text, so they cannot inject SQL, and bytes (including NUL) arrive
/// exactly. SQL text that must be spliced in, such as a table name, needs the visibly unsafe spelling
/// `\(unsafeRaw: tableName)`.
///
/// Parameters are sent with their type (`text`, `int8`, ...), so a value compared with or stored into a
/// column of another type may need a cast in SQL, e.g. `\(json)::jsonb` or `\(id)::uuid` for a String.
public struct PostgresQuery: Sendable, ExpressibleByStringInterpolation {
    /// SQL text and placeholders, kept apart so that queries can be appended and renumbered without ever
    /// parsing SQL.
    enum Segment: Sendable {
        case sql(String)
        case bind(Int)
    }

    private(set) var segments: [Segment] = []
    /// The binds' encoded values back to back, in one buffer so a query allocates once however many it has.
    private(set) var bindBytes: [UInt8] = []
    private(set) var binds: [Bind] = []

    struct Bind: Sendable {
        var type: PostgresDataType
        /// Where the value lies in `bindBytes`; `nil` for NULL.
        var range: Range<Int>?
    }

    /// The statement as sent to the server, with `$n` placeholders for the binds.
    public var sql: String {
        var text = ""
        for segment in segments {
            switch segment {
            case .sql(let sql): text += sql
            case .bind(let index): text += "$\(index + 1)"
            }
        }
        return text
    }

    /// The number of bind parameters.
    public var bindCount: Int { binds.count }

    public init(stringLiteral value: String) {
        segments = [.sql(value)]
    }

    public init(stringInterpolation: StringInterpolation) {
        self = stringInterpolation.query
    }

    /// A statement from SQL text with no binds, for SQL built at run time. The text is trusted as is.
    public init(unsafeSQL sql: String) {
        segments = [.sql(sql)]
    }

    /// Appends another query's SQL and binds, renumbering its placeholders: for building a statement from
    /// optional parts (`WHERE` clauses chosen at run time) without splicing values into SQL.
    public mutating func append(_ other: PostgresQuery) {
        let bindOffset = binds.count
        let byteOffset = bindBytes.count
        for segment in other.segments {
            switch segment {
            case .sql(let sql): segments.append(.sql(sql))
            case .bind(let index): segments.append(.bind(index + bindOffset))
            }
        }
        bindBytes.append(contentsOf: other.bindBytes)
        for bind in other.binds {
            binds.append(Bind(type: bind.type, range: bind.range.map { ($0.lowerBound + byteOffset)..<($0.upperBound + byteOffset) }))
        }
    }

    mutating func appendBind<T: PostgresEncodable>(_ value: T) {
        segments.append(.bind(binds.count))
        if value.isPostgresNull {
            binds.append(Bind(type: T.postgresDataType, range: nil))
            return
        }
        let start = bindBytes.count
        value.encode(into: &bindBytes)
        binds.append(Bind(type: T.postgresDataType, range: start..<bindBytes.count))
    }

    /// Builds a ``PostgresQuery`` from a string literal with interpolations.
    public struct StringInterpolation: StringInterpolationProtocol, Sendable {
        var query = PostgresQuery(stringLiteral: "")

        public init(literalCapacity: Int, interpolationCount: Int) {
            query.segments.reserveCapacity(2 * interpolationCount + 1)
        }

        public mutating func appendLiteral(_ literal: String) {
            query.segments.append(.sql(literal))
        }

        /// Binds a value as the next parameter.
        public mutating func appendInterpolation<T: PostgresEncodable>(_ value: T) {
            query.appendBind(value)
        }

        /// Binds an optional value as the next parameter: `nil` binds SQL NULL (typed as `T`).
        ///
        /// A separate overload because the compiler warns when an `Optional` meets a generic `T` in an
        /// interpolation, and here binding NULL is exactly what is meant.
        public mutating func appendInterpolation<T: PostgresEncodable>(_ value: T?) {
            query.appendBind(value)
        }

        /// Inserts SQL text verbatim. Never pass data here: only identifiers and SQL the program itself owns.
        public mutating func appendInterpolation(unsafeRaw sql: String) {
            query.segments.append(.sql(sql))
        }

        /// Inserts another query, its binds renumbered to follow this one's.
        public mutating func appendInterpolation(_ fragment: PostgresQuery) {
            query.append(fragment)
        }
    }
}
