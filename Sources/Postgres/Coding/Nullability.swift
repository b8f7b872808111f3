// SQL NULL is `Optional.none`. Encoding asks `PostgresEncodable.isPostgresNull`; decoding a NULL needs to
// produce `nil` for any `Optional` without a NULL requirement on `PostgresDecodable`, which no non-optional
// type could honour, so this internal protocol recognises Optional at run time (only on the NULL path).

protocol PostgresOptional {
    static var postgresNull: Self { get }
}

extension Optional: PostgresOptional {
    static var postgresNull: Self { .none }
}

/// The value a NULL column or array element decodes to: `nil` for an `Optional`, an error for anything else.
func postgresNullValue<T>(of type: T.Type, context: @autoclosure () -> String) throws -> T {
    guard let optionalType = type as? any PostgresOptional.Type else {
        throw PostgresError.decoding("\(context()) is NULL; decode it as an Optional")
    }
    return optionalType.postgresNull as! T
}
