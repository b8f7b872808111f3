/// A value that can be an element of a PostgreSQL array, making `[Self]` encodable and decodable.
///
/// `[UInt8]` is the one exception to "an array of elements": it is `bytea`, because that is what byte
/// buffers are in this project; `[[UInt8]]` and `[[UInt8]?]` are therefore `bytea[]`.
public protocol PostgresArrayElement: PostgresEncodable, PostgresDecodable {
    /// The array type whose elements are `Self`, e.g. `text[]` for `String`.
    static var postgresArrayDataType: PostgresDataType { get }
}
