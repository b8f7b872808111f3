import Logging

/// A connection to PostgreSQL through libpq.
///
/// Every libpq call for a connection runs on that connection's own serial queue, never on the Swift
/// cooperative pool; the async methods suspend until their call has finished. Calls from several tasks are
/// serialised, each statement whole, but a transaction (``withTransaction(isolation:_:)``) spans several
/// calls, so a connection in a transaction belongs to one task at a time.
public final class PostgresConnection: Sendable {
    private let libpq: LibPQConnection
    private let logger: Logger

    private init(libpq: LibPQConnection, logger: Logger) {
        self.libpq = libpq
        self.logger = logger
    }

    /// Connects with a libpq connection string: a URL (`postgresql://user@host:port/db`) or key/value
    /// conninfo (`host=... dbname=...`). libpq also honours its environment variables (`PGPASSWORD`, ...).
    public static func connect(to connectionString: String, logger: Logger) async throws -> PostgresConnection {
        try await connect(to: connectionString, database: nil, logger: logger)
    }

    /// Connects as ``connect(to:logger:)`` does, but to `database` instead of the one the string names,
    /// e.g. to reach a per-test database with the server URL the environment provides.
    public static func connect(to connectionString: String, database: String?, logger: Logger) async throws -> PostgresConnection {
        // libpq expands a connection string or URL given as the first `dbname`; keywords after it override
        // what it set. Results are decoded as UTF-8, so the client encoding is not negotiable.
        var parameters = [("dbname", connectionString)]
        if let database {
            parameters.append(("dbname", database))
        }
        parameters.append(("client_encoding", "UTF8"))
        do {
            let libpq = try await LibPQConnection.connect(parameters: parameters, logger: logger)
            logger.debug("connected to PostgreSQL")
            return PostgresConnection(libpq: libpq, logger: logger)
        } catch {
            logger.debug("could not connect to PostgreSQL", metadata: ["error": "\(error)"])
            throw error
        }
    }

    /// True once ``close()`` was called or libpq reported the server connection lost.
    public var isClosed: Bool {
        libpq.isClosed
    }

    /// Runs a statement and returns all its rows.
    public func query(_ query: PostgresQuery) async throws -> PostgresRows {
        try await run { try LibPQ.query($0, query) }
    }

    /// Runs a statement and returns the number of rows it affected (inserted, updated, deleted, selected).
    @discardableResult
    public func execute(_ query: PostgresQuery) async throws -> Int {
        try await run { try LibPQ.execute($0, query) }
    }

    /// Runs several `;`-separated statements with no parameters, e.g. a migration file. The text is sent
    /// as is, which is why the name says unsafe: never build `script` from data.
    public func executeUnsafe(script: String) async throws {
        try await run { try LibPQ.executeScript($0, script) }
    }

    /// Runs `body` in a transaction: `BEGIN`, then `COMMIT` if `body` returns, or `ROLLBACK` if it throws
    /// (the original error is rethrown, whatever the rollback does). `body` runs in the caller's isolation.
    public func withTransaction<T: Sendable>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await execute("BEGIN")
        let result: T
        do {
            result = try await body(self)
        } catch {
            do {
                try await execute("ROLLBACK")
            } catch let rollbackError {
                // The connection is likely gone, which rolls back anyway; the body's error is the one to report.
                logger.debug("ROLLBACK failed", metadata: ["error": "\(rollbackError)"])
            }
            throw error
        }
        try await execute("COMMIT")
        return result
    }

    /// Runs a `COPY ... FROM STDIN WITH (FORMAT binary)` statement, e.g.
    /// `"COPY t (a, b) FROM STDIN WITH (FORMAT binary)"`, streaming `rows` to it; returns the rows copied.
    public func copyInBinary(_ copyStatement: PostgresQuery, rows: PostgresBinaryCopyRows) async throws -> Int {
        var rows = rows
        rows.checkCurrentRowComplete()
        if let malformed = rows.malformedRow {
            throw PostgresError.misuse("COPY row \(malformed.index) declares \(malformed.declared) fields but has \(malformed.appended)")
        }
        let stream = [rows.bytes, PostgresBinaryCopyRows.trailer]
        return try await run { try LibPQ.copyIn($0, copyStatement, stream: stream) }
    }

    /// Runs a `COPY ... FROM STDIN` statement with the stream's bytes given whole, e.g. bytes produced by
    /// ``copyOut(_:)`` in the same format; returns the rows copied.
    public func copyIn(_ copyStatement: PostgresQuery, data: [UInt8]) async throws -> Int {
        try await run { try LibPQ.copyIn($0, copyStatement, stream: [data]) }
    }

    /// Runs a `COPY ... TO STDOUT` statement and returns the raw bytes it produced, in the statement's format.
    public func copyOut(_ copyStatement: PostgresQuery) async throws -> [UInt8] {
        try await run { try LibPQ.copyOut($0, copyStatement) }
    }

    /// Closes the connection. Later calls throw a connection error; closing twice is harmless.
    public func close() async {
        await libpq.close()
        logger.debug("closed PostgreSQL connection")
    }

    private func run<T: Sendable>(_ body: @escaping @Sendable (OpaquePointer) throws -> T) async throws -> T {
        do {
            return try await libpq.withConnection(body)
        } catch let error as PostgresError where error.kind == .connection {
            logger.debug("PostgreSQL connection failed", metadata: ["error": "\(error)"])
            throw error
        }
    }
}
