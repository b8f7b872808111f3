import Logging
import Postgres

/// One PostgreSQL connection that reconnects when it was lost.
///
/// Each long-running task (the ingest loop, a command) owns its own `Database`: a transaction must not share a
/// connection with another task's statements, and owning one per task is simpler than a pool for a daemon with
/// a handful of tasks.
public actor Database {
    /// Includes the password: never log it.
    nonisolated let connectionString: String
    private let logger: Logger
    private var current: PostgresConnection?

    public init(settings: DatabaseSettings, logger: Logger) {
        self.connectionString = settings.connectionString()
        self.logger = logger
    }

    /// The open connection, connecting first when there is none or the last one was lost.
    public func connection() async throws -> PostgresConnection {
        if let current, !current.isClosed {
            return current
        }
        let connection = try await PostgresConnection.connect(to: connectionString, logger: logger)
        current = connection
        return connection
    }

    public func close() async {
        await current?.close()
        current = nil
    }
}
