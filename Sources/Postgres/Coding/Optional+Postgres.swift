// `nil` is SQL NULL. The NULL itself is written and read by the framing code (a -1 length), which asks
// `isPostgresNull` when encoding and `postgresNullValue(of:)` (Nullability.swift) when decoding; these
// conformances otherwise only forward the wrapped value.

extension Optional: PostgresEncodable where Wrapped: PostgresEncodable {
    public static var postgresDataType: PostgresDataType { Wrapped.postgresDataType }

    /// `nil`, and also `.some(nil)` of a nested optional, which has no other SQL meaning.
    public var isPostgresNull: Bool {
        switch self {
        case .none: return true
        case .some(let wrapped): return wrapped.isPostgresNull
        }
    }

    public func encode(into bytes: inout [UInt8]) {
        if let value = self {
            value.encode(into: &bytes)
        }
    }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public init(postgresBinary bytes: ArraySlice<UInt8>, type: PostgresDataType) throws {
        self = .some(try Wrapped(postgresBinary: bytes, type: type))
    }
}

extension Optional: PostgresArrayElement where Wrapped: PostgresArrayElement {
    public static var postgresArrayDataType: PostgresDataType { Wrapped.postgresArrayDataType }
}
