import CLibPQ

/// The libpq calls behind `PostgresConnection`, each taking the `PGconn*` it runs on.
///
/// Only ever called inside `LibPQConnection.withConnection`, i.e. on the connection's own serial queue, so
/// none of these may be reached from the cooperative pool. Every `PGresult` is cleared before returning and
/// every result of a command is drained, so the connection is always left ready for the next command.
enum LibPQ {
    /// COPY FROM STDIN data goes to libpq in pieces of this size, so libpq's output buffer never grows into
    /// a second copy of a large batch.
    static let copyChunkSize = 1 << 20

    enum Format: Int32 {
        case text = 0
        case binary = 1
    }

    // MARK: Commands

    static func query(_ connection: OpaquePointer, _ query: PostgresQuery) throws -> PostgresRows {
        let result = try execute(connection, query, resultFormat: .binary)
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_TUPLES_OK:
            return PostgresRows(storage: rows(from: result))
        case PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            return PostgresRows(storage: .empty)
        default:
            throw abandonCopy(connection, result)
        }
    }

    static func execute(_ connection: OpaquePointer, _ query: PostgresQuery) throws -> Int {
        let result = try execute(connection, query, resultFormat: .binary)
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_TUPLES_OK, PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            return affectedRows(result)
        default:
            throw abandonCopy(connection, result)
        }
    }

    /// Runs several statements with the simple query protocol (PQexec): the only way to run a script.
    static func executeScript(_ connection: OpaquePointer, _ script: String) throws {
        let result = try checked(PQexec(connection, script), connection)
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_TUPLES_OK, PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            return
        default:
            throw abandonCopy(connection, result)
        }
    }

    /// Runs a `COPY ... FROM STDIN` and streams `stream` to it in chunks; returns the rows copied.
    static func copyIn(_ connection: OpaquePointer, _ statement: PostgresQuery, stream: [[UInt8]]) throws -> Int {
        let result = try execute(connection, statement, resultFormat: .text)
        let status = PQresultStatus(result)
        guard status == PGRES_COPY_IN else {
            let error = abandonCopy(connection, result, expected: "COPY ... FROM STDIN")
            PQclear(result)
            throw error
        }
        PQclear(result)

        var failure: String?
        sending: for part in stream {
            for chunkStart in stride(from: 0, to: part.count, by: copyChunkSize) {
                let chunkEnd = min(chunkStart + copyChunkSize, part.count)
                let sent = part.withUnsafeBufferPointer { buffer in
                    PQputCopyData(connection, UnsafeRawPointer(buffer.baseAddress! + chunkStart).assumingMemoryBound(to: CChar.self), Int32(chunkEnd - chunkStart))
                }
                if sent != 1 {
                    failure = errorMessage(connection)
                    break sending
                }
            }
        }
        if failure == nil, PQputCopyEnd(connection, nil) != 1 {
            failure = errorMessage(connection)
        }
        // The command's own result says best what went wrong (a constraint, a bad row); the send failure
        // only matters when there is no such result.
        let copied = try finishCommand(connection)
        if let failure {
            throw PostgresError(kind: .connection, message: failure)
        }
        return copied
    }

    /// Runs a `COPY ... TO STDOUT` and returns everything it produced.
    static func copyOut(_ connection: OpaquePointer, _ statement: PostgresQuery) throws -> [UInt8] {
        let result = try execute(connection, statement, resultFormat: .text)
        let status = PQresultStatus(result)
        guard status == PGRES_COPY_OUT else {
            let error = abandonCopy(connection, result, expected: "COPY ... TO STDOUT")
            PQclear(result)
            throw error
        }
        PQclear(result)
        var output: [UInt8] = []
        drainCopyOut(connection) { output.append(contentsOf: $0) }
        _ = try finishCommand(connection)
        return output
    }

    // MARK: Results

    /// PQexecParams with every bind in binary format and typed, so bytes arrive exactly.
    private static func execute(_ connection: OpaquePointer, _ query: PostgresQuery, resultFormat: Format) throws -> OpaquePointer {
        let binds = query.binds
        let types = binds.map { Oid($0.type.oid) }
        let lengths = binds.map { Int32($0.range?.count ?? 0) }
        let formats = [Int32](repeating: Format.binary.rawValue, count: binds.count)
        let sql = query.sql
        // An empty value still needs a non-NULL pointer (NULL means SQL NULL), so never pass an empty buffer.
        let storage = query.bindBytes.isEmpty ? [0] : query.bindBytes
        let result = storage.withUnsafeBufferPointer { buffer in
            let base = UnsafeRawPointer(buffer.baseAddress!)
            let values: [UnsafePointer<CChar>?] = binds.map { bind in
                bind.range.map { (base + $0.lowerBound).assumingMemoryBound(to: CChar.self) }
            }
            return PQexecParams(connection, sql, Int32(binds.count), types, values, lengths, formats, resultFormat.rawValue)
        }
        return try checked(result, connection)
    }

    /// Returns a successful result; turns a failed one into an error (clearing it).
    private static func checked(_ result: OpaquePointer?, _ connection: OpaquePointer) throws -> OpaquePointer {
        guard let result else {
            throw PostgresError(kind: .protocol, message: errorMessage(connection))
        }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY, PGRES_COPY_IN, PGRES_COPY_OUT:
            return result
        case PGRES_FATAL_ERROR, PGRES_NONFATAL_ERROR:
            let error = resultError(result)
            PQclear(result)
            throw error
        default:
            let error = PostgresError.misuse("unexpected result status \(String(cString: PQresStatus(PQresultStatus(result))))")
            PQclear(result)
            throw error
        }
    }

    /// Collects the final result of a command that went through a COPY phase and drains the rest.
    /// Returns the row count from its command tag.
    private static func finishCommand(_ connection: OpaquePointer) throws -> Int {
        var firstError: PostgresError?
        var count = 0
        while let result = PQgetResult(connection) {
            defer { PQclear(result) }
            switch PQresultStatus(result) {
            case PGRES_COMMAND_OK, PGRES_TUPLES_OK:
                count = affectedRows(result)
            case PGRES_COPY_IN:
                // Still copying because sending failed part-way: end the COPY so the connection recovers.
                if PQputCopyEnd(connection, "client stopped sending") != 1 {
                    throw firstError ?? PostgresError(kind: .connection, message: errorMessage(connection))
                }
            case PGRES_COPY_OUT:
                drainCopyOut(connection) { _ in }
            default:
                firstError = firstError ?? resultError(result)
            }
        }
        if let firstError {
            throw firstError
        }
        return count
    }

    /// A statement given to `query`/`execute`/a COPY method entered the wrong COPY direction (or none):
    /// finish that COPY so the connection stays usable, and report the misuse.
    private static func abandonCopy(_ connection: OpaquePointer, _ result: OpaquePointer, expected: String? = nil) -> PostgresError {
        switch PQresultStatus(result) {
        case PGRES_COPY_IN:
            _ = PQputCopyEnd(connection, "COPY FROM STDIN must be run with copyIn or copyInBinary")
        case PGRES_COPY_OUT:
            drainCopyOut(connection) { _ in }
        default:
            break
        }
        while let rest = PQgetResult(connection) {
            PQclear(rest)
        }
        if let expected {
            return .misuse("the statement is not a \(expected)")
        }
        return .misuse("COPY statements must be run with copyIn, copyInBinary or copyOut")
    }

    private static func drainCopyOut(_ connection: OpaquePointer, _ consume: (UnsafeRawBufferPointer) -> Void) {
        while true {
            var buffer: UnsafeMutablePointer<CChar>?
            let length = PQgetCopyData(connection, &buffer, 0)
            if length > 0, let buffer {
                consume(UnsafeRawBufferPointer(start: buffer, count: Int(length)))
                PQfreemem(buffer)
            } else {
                // -1: the COPY is done; -2: it failed, and PQgetResult reports why.
                return
            }
        }
    }

    private static func affectedRows(_ result: OpaquePointer) -> Int {
        Int(String(cString: PQcmdTuples(result))) ?? 0
    }

    /// Copies a result's values into Swift storage so the PGresult can be cleared right away.
    private static func rows(from result: OpaquePointer) -> ResultStorage {
        let rowCount = Int(PQntuples(result))
        let columnCount = Int(PQnfields(result))
        var names: [String] = []
        var types: [PostgresDataType] = []
        for column in 0..<Int32(columnCount) {
            names.append(String(cString: PQfname(result, column)))
            types.append(PostgresDataType(oid: UInt32(PQftype(result, column))))
        }
        let cellCount = rowCount * columnCount
        var lengths: [Int32] = []
        lengths.reserveCapacity(cellCount)
        var totalLength = 0
        for row in 0..<Int32(rowCount) {
            for column in 0..<Int32(columnCount) {
                let length = PQgetisnull(result, row, column) == 1 ? -1 : PQgetlength(result, row, column)
                lengths.append(length)
                totalLength += Int(max(length, 0))
            }
        }
        var values: [UInt8] = []
        values.reserveCapacity(totalLength)
        var starts: [Int] = []
        starts.reserveCapacity(cellCount)
        var cell = 0
        for row in 0..<Int32(rowCount) {
            for column in 0..<Int32(columnCount) {
                starts.append(values.count)
                let length = Int(lengths[cell])
                if length > 0, let value = PQgetvalue(result, row, column) {
                    values.append(contentsOf: UnsafeRawBufferPointer(start: value, count: length))
                }
                cell += 1
            }
        }
        return ResultStorage(columnNames: names, columnTypes: types, rowCount: rowCount, values: values, cellStarts: starts, cellLengths: lengths)
    }

    // MARK: Errors

    static func errorMessage(_ connection: OpaquePointer) -> String {
        trimmed(String(cString: PQerrorMessage(connection)))
    }

    /// The server's diagnostic fields from an error result; libpq's own errors (lost connection) have no SQLSTATE.
    static func resultError(_ result: OpaquePointer) -> PostgresError {
        func field(_ code: Int32) -> String? {
            PQresultErrorField(result, code).map { String(cString: $0) }
        }
        let sqlState = field(DiagnosticField.sqlstate)
        let message = field(DiagnosticField.messagePrimary).map(trimmed) ?? trimmed(String(cString: PQresultErrorMessage(result)))
        var error = PostgresError(kind: sqlState == nil ? .protocol : .server, sqlState: sqlState, message: message)
        error.severity = field(DiagnosticField.severityNonlocalized) ?? field(DiagnosticField.severity)
        error.detail = field(DiagnosticField.messageDetail)
        error.hint = field(DiagnosticField.messageHint)
        error.statementPosition = field(DiagnosticField.statementPosition).flatMap { Int($0) }
        error.context = field(DiagnosticField.context)
        error.schemaName = field(DiagnosticField.schemaName)
        error.tableName = field(DiagnosticField.tableName)
        error.columnName = field(DiagnosticField.columnName)
        error.constraintName = field(DiagnosticField.constraintName)
        return error
    }

    /// libpq's `PG_DIAG_*` codes: C character-literal macros, which Swift does not import.
    private enum DiagnosticField {
        static let severity = code("S")
        static let severityNonlocalized = code("V")
        static let sqlstate = code("C")
        static let messagePrimary = code("M")
        static let messageDetail = code("D")
        static let messageHint = code("H")
        static let statementPosition = code("P")
        static let context = code("W")
        static let schemaName = code("s")
        static let tableName = code("t")
        static let columnName = code("c")
        static let constraintName = code("n")

        private static func code(_ letter: Unicode.Scalar) -> Int32 {
            Int32(UInt8(ascii: letter))
        }
    }

    private static func trimmed(_ message: String) -> String {
        var message = Substring(message)
        while let last = message.last, last.isWhitespace {
            message.removeLast()
        }
        return String(message)
    }
}
