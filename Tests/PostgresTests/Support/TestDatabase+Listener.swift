import Postgres

extension TestDatabase {
    /// A notification listener in the running suite's own database: `NOTIFY` does not cross databases.
    static func listen(to channels: [String]) async throws -> PostgresNotificationListener {
        guard let name else {
            throw SetupError("the suite needs the .temporaryDatabase trait")
        }
        return try await PostgresNotificationListener.listen(to: serverURL(), database: name, channels: channels, logger: logger)
    }

    /// A channel name no other test in the suite uses, so tests running in parallel do not hear each other.
    static func uniqueChannel(_ prefix: String) -> String {
        uniqueTableName(prefix)
    }
}
