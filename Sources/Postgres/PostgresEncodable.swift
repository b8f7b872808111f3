/// A value that can be sent to PostgreSQL: as a bind parameter of a ``PostgresQuery`` or as a field of a
/// binary COPY stream (``PostgresBinaryCopyRows``).
///
/// Values travel in PostgreSQL's binary format, so bytes arrive exactly as given (no escaping, no text
/// round-trip). `Optional` conforms when its wrapped type does: `nil` is sent as SQL `NULL`.
public protocol PostgresEncodable: Sendable {
    /// The type the server should read the bytes as; for a bind parameter it is the parameter's declared type.
    static var postgresDataType: PostgresDataType { get }

    /// Appends the value's binary representation (without the length prefix, which the caller writes).
    func encode(into bytes: inout [UInt8])

    /// Whether this value is SQL NULL. Only `Optional.none` is; other types keep the default, `false`.
    ///
    /// A requirement rather than a runtime check for `Optional`, because the COPY builder asks it for every
    /// field and a dynamic cast per field cost a quarter of the builder's time.
    var isPostgresNull: Bool { get }
}

extension PostgresEncodable {
    public var isPostgresNull: Bool { false }
}
