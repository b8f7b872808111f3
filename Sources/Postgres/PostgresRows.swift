/// The rows a query returned, fetched completely.
///
/// The values are copied out of libpq into one buffer when the query completes, so rows can be passed
/// between tasks and outlive the connection.
public struct PostgresRows: Sendable, RandomAccessCollection {
    let storage: ResultStorage

    init(storage: ResultStorage) {
        self.storage = storage
    }

    /// The result's column names, in order.
    public var columnNames: [String] { storage.columnNames }

    /// The result's column types, in order.
    public var columnTypes: [PostgresDataType] { storage.columnTypes }

    public var startIndex: Int { 0 }
    public var endIndex: Int { storage.rowCount }

    public subscript(position: Int) -> PostgresRow {
        precondition(indices.contains(position), "row index \(position) out of range 0..<\(storage.rowCount)")
        return PostgresRow(storage: storage, index: position)
    }
}

/// The values of a result, immutable once built so rows can be shared between tasks.
final class ResultStorage: Sendable {
    let columnNames: [String]
    let columnTypes: [PostgresDataType]
    let columnIndexByName: [String: Int]
    let rowCount: Int
    /// All values back to back.
    let values: [UInt8]
    /// Per cell (row-major): where its value starts in `values`.
    let cellStarts: [Int]
    /// Per cell: its length, or -1 for NULL.
    let cellLengths: [Int32]

    init(columnNames: [String], columnTypes: [PostgresDataType], rowCount: Int, values: [UInt8], cellStarts: [Int], cellLengths: [Int32]) {
        self.columnNames = columnNames
        self.columnTypes = columnTypes
        // The first column of a name wins, as in most clients; `SELECT a.id, b.id` needs aliases or indexes.
        var byName: [String: Int] = [:]
        for (index, name) in columnNames.enumerated() where byName[name] == nil {
            byName[name] = index
        }
        self.columnIndexByName = byName
        self.rowCount = rowCount
        self.values = values
        self.cellStarts = cellStarts
        self.cellLengths = cellLengths
    }

    static let empty = ResultStorage(columnNames: [], columnTypes: [], rowCount: 0, values: [], cellStarts: [], cellLengths: [])

    /// The value at a row and column; `nil` for NULL.
    func value(row: Int, column: Int) -> ArraySlice<UInt8>? {
        let cell = row * columnNames.count + column
        let length = Int(cellLengths[cell])
        if length < 0 {
            return nil
        }
        let start = cellStarts[cell]
        return values[start..<(start + length)]
    }
}
