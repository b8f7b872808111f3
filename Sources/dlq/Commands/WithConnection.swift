import ArgumentParser
import DLQManager
import Logging
import Postgres

/// Runs a command's work on one PostgreSQL connection, closed afterwards, turning "cannot connect" and the
/// server's state (read-only, disk full) into one clear line instead of a stack of errors.
func withConnection<T: Sendable>(
    _ configuration: DLQConfiguration,
    label: String,
    _ body: (PostgresConnection) async throws -> T
) async throws -> T {
    let logger = Logger(label: label)
    let database = Database(settings: configuration.database, logger: logger)
    let connection: PostgresConnection
    do {
        connection = try await database.connection()
    } catch let error as PostgresError {
        // The configured URL never carries the password, so it is safe to show.
        printError("cannot connect to PostgreSQL at \(configuration.database.url): \(error)")
        throw ExitCode.failure
    }
    do {
        let result = try await body(connection)
        await database.close()
        return result
    } catch let error as PostgresError where error.unavailability != nil {
        await database.close()
        printError("\(error.unavailability ?? "PostgreSQL unavailable") (\(error))")
        throw ExitCode.failure
    } catch {
        await database.close()
        throw error
    }
}
