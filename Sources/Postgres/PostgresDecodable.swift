/// A value that can be read from a result column (see ``PostgresRow``).
///
/// Results arrive in PostgreSQL's binary format; a conformance reads those bytes and checks the column's
/// type, throwing a ``PostgresError`` of kind ``PostgresError/Kind/decoding`` for a type it cannot read.
/// SQL `NULL` never reaches `init`: it decodes to `nil` for an `Optional`, and is an error otherwise.
public protocol PostgresDecodable {
    /// Reads a non-NULL value from its binary representation, sent by the server as `type`.
    init(postgresBinary bytes: ArraySlice<UInt8>, type: PostgresDataType) throws
}
