/// One row of a ``PostgresRows`` result.
public struct PostgresRow: Sendable {
    let storage: ResultStorage
    let index: Int

    /// The number of columns.
    public var columnCount: Int { storage.columnNames.count }

    /// Decodes the column named `column`. NULL decodes to `nil` when `T` is an `Optional` and throws otherwise.
    public func decode<T: PostgresDecodable>(_ type: T.Type = T.self, column: String) throws -> T {
        guard let columnIndex = storage.columnIndexByName[column] else {
            throw PostgresError.misuse("the result has no column \"\(column)\" (columns: \(storage.columnNames.joined(separator: ", ")))")
        }
        return try decodeValue(T.self, at: columnIndex)
    }

    /// Decodes the column at a zero-based position. NULL decodes to `nil` when `T` is an `Optional` and
    /// throws otherwise.
    public func decode<T: PostgresDecodable>(_ type: T.Type = T.self, column: Int) throws -> T {
        guard (0..<storage.columnNames.count).contains(column) else {
            throw PostgresError.misuse("column index \(column) out of range 0..<\(storage.columnNames.count)")
        }
        return try decodeValue(T.self, at: column)
    }

    /// Whether the column named `column` is NULL.
    public func isNull(column: String) throws -> Bool {
        guard let columnIndex = storage.columnIndexByName[column] else {
            throw PostgresError.misuse("the result has no column \"\(column)\"")
        }
        return storage.value(row: index, column: columnIndex) == nil
    }

    private func decodeValue<T: PostgresDecodable>(_: T.Type, at column: Int) throws -> T {
        let name = storage.columnNames[column]
        guard let bytes = storage.value(row: index, column: column) else {
            return try postgresNullValue(of: T.self, context: "column \"\(name)\"")
        }
        let type = storage.columnTypes[column]
        do {
            return try T(postgresBinary: bytes, type: type)
        } catch var error as PostgresError where error.kind == .decoding {
            // Name the column and types, never the value: values may be sensitive.
            error.message = "column \"\(name)\" (\(type)) as \(T.self): \(error.message)"
            throw error
        }
    }
}
