/// Rows for `COPY ... FROM STDIN WITH (FORMAT binary)`, built in memory as the COPY stream itself.
///
/// ```swift
/// var rows = PostgresBinaryCopyRows()
/// for letter in batch {
///     rows.beginRow(columnCount: 3)
///     rows.append(letter.topic)
///     rows.append(letter.offset)
///     rows.append(letter.value)   // [UInt8]? — nil is NULL
/// }
/// try await connection.copyInBinary("COPY dead_letters (topic, \"offset\", value) FROM STDIN WITH (FORMAT binary)", rows: rows)
/// ```
/// Every field is written straight into one growing byte buffer (length prefix, then the value's binary
/// form), so building a row costs little more than copying its bytes: the ingest path's ceiling is the
/// server, not this builder.
public struct PostgresBinaryCopyRows: Sendable {
    /// The signature, flags and header-extension length that open every binary COPY stream.
    private static let header: [UInt8] = Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00] + [0, 0, 0, 0] + [0, 0, 0, 0]
    /// The field count -1 that ends the stream; sent after `bytes`, so appending can continue afterwards.
    static let trailer: [UInt8] = [0xFF, 0xFF]

    /// Header and tuples, without the trailer.
    private(set) var bytes: [UInt8]
    public private(set) var rowCount = 0
    private var declaredFieldCount = 0
    private var appendedFieldCount = 0
    /// The first row whose field count did not match its declaration, reported when the rows are sent.
    private(set) var malformedRow: (index: Int, declared: Int, appended: Int)?

    public init() {
        self.init(reservingCapacity: 0)
    }

    /// Reserves room for about `byteCount` bytes of rows up front, to avoid regrowing a large buffer.
    public init(reservingCapacity byteCount: Int) {
        bytes = []
        bytes.reserveCapacity(Self.header.count + byteCount)
        bytes.append(contentsOf: Self.header)
    }

    /// The size of the stream so far, e.g. to send a batch once it reaches a few megabytes.
    public var byteCount: Int { bytes.count + Self.trailer.count }

    /// Starts a row of `columnCount` fields; follow it with exactly that many ``append(_:)`` calls.
    public mutating func beginRow(columnCount: Int) {
        precondition((0...Int(Int16.max)).contains(columnCount), "a COPY row has 0...32767 fields")
        checkCurrentRowComplete()
        bytes.appendBigEndian(Int16(columnCount))
        declaredFieldCount = columnCount
        appendedFieldCount = 0
        rowCount += 1
    }

    /// Appends the next field of the current row; an `Optional` that is `nil` is NULL.
    public mutating func append<T: PostgresEncodable>(_ value: T) {
        bytes.appendLengthPrefixedField(value)
        appendedFieldCount += 1
    }

    /// Appends the next field as a PostgreSQL array of `elements`, e.g. a mapped view of a larger structure,
    /// without building an intermediate `Array`. (Not for `bytea`: append a `[UInt8]` for that.)
    public mutating func append<C: Collection>(array elements: C) where C.Element: PostgresArrayElement {
        let lengthIndex = bytes.count
        bytes.appendBigEndian(Int32(0))
        Array<C.Element>.encodeArray(elements, into: &bytes)
        bytes.storeBigEndian(Int32(bytes.count - lengthIndex - 4), at: lengthIndex)
        appendedFieldCount += 1
    }

    /// Appends a whole row. Convenient for a few rows; a hot loop should prefer ``beginRow(columnCount:)``
    /// and ``append(_:)``, which avoid boxing each field in an existential.
    public mutating func appendRow(_ fields: any PostgresEncodable...) {
        beginRow(columnCount: fields.count)
        for field in fields {
            append(field)
        }
    }

    /// Reserves room for `byteCount` more bytes.
    public mutating func reserveCapacity(_ byteCount: Int) {
        bytes.reserveCapacity(bytes.count + byteCount)
    }

    /// Notes the first row whose field count does not match its `beginRow`, so sending can report it
    /// clearly instead of the server's less helpful complaint about the stream.
    mutating func checkCurrentRowComplete() {
        if rowCount > 0, appendedFieldCount != declaredFieldCount, malformedRow == nil {
            malformedRow = (rowCount - 1, declaredFieldCount, appendedFieldCount)
        }
    }
}
