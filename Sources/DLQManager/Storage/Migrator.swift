import Foundation
import Logging
import Postgres

/// Applies `Migrations/*.sql` in order, each in its own transaction, and records what ran.
///
/// A session advisory lock serialises migrators, so two daemons starting together cannot both apply a file.
public struct Migrator: Sendable {
    /// The status of one migration file against a database.
    public struct Entry: Sendable {
        public var migration: Migration
        public var appliedAt: Date?
    }

    /// An arbitrary constant shared by every `dlq` process: "DLQMIGR" in ASCII.
    private static let advisoryLockKey: Int64 = 0x44_4C_51_4D_49_47_52

    public let migrations: [Migration]

    public init(directory: URL) throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".sql") }
            .sorted()
        migrations = try files.map { name in
            Migration(name: name, sql: try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8))
        }
    }

    /// Finds the migrations folder the way every command does (see `MigrationDirectory`).
    public init(settings: DatabaseSettings) throws {
        try self.init(directory: MigrationDirectory.resolve(configured: settings.migrationsDirectory))
    }

    /// Applies what is pending and returns it; a no-op when the database is up to date.
    @discardableResult
    public func migrate(on connection: PostgresConnection, logger: Logger) async throws -> [Migration] {
        try await withAdvisoryLock(on: connection) {
            let applied = try await appliedMigrations(on: connection)
            try verifyUnchanged(applied)
            var ran: [Migration] = []
            for migration in migrations where applied[migration.name] == nil {
                logger.info("applying migration", metadata: ["migration": "\(migration.name)"])
                try await connection.withTransaction { transaction in
                    try await transaction.executeUnsafe(script: migration.sql)
                    try await transaction.execute(
                        "INSERT INTO schema_migrations (name, checksum) VALUES (\(migration.name), \(migration.checksum))"
                    )
                }
                ran.append(migration)
            }
            return ran
        }
    }

    /// Every known migration with when it was applied (nil: pending).
    public func status(on connection: PostgresConnection) async throws -> [Entry] {
        try await createBookkeeping(on: connection)
        let applied = try await appliedMigrations(on: connection)
        return migrations.map { Entry(migration: $0, appliedAt: applied[$0.name]?.appliedAt) }
    }

    private func withAdvisoryLock<T: Sendable>(
        on connection: PostgresConnection,
        _ body: () async throws -> T
    ) async throws -> T {
        try await connection.execute("SELECT pg_advisory_lock(\(Self.advisoryLockKey))")
        do {
            try await createBookkeeping(on: connection)
            let result = try await body()
            try await connection.execute("SELECT pg_advisory_unlock(\(Self.advisoryLockKey))")
            return result
        } catch {
            // The lock is the session's: release it so a retry on this connection does not wait on itself.
            _ = try? await connection.execute("SELECT pg_advisory_unlock(\(Self.advisoryLockKey))")
            throw error
        }
    }

    private func createBookkeeping(on connection: PostgresConnection) async throws {
        try await connection.executeUnsafe(script: """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                name       text PRIMARY KEY,
                checksum   text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """)
    }

    private func appliedMigrations(on connection: PostgresConnection) async throws -> [String: (checksum: String, appliedAt: Date)] {
        var applied: [String: (checksum: String, appliedAt: Date)] = [:]
        for row in try await connection.query("SELECT name, checksum, applied_at FROM schema_migrations") {
            applied[try row.decode(String.self, column: "name")] = (
                try row.decode(String.self, column: "checksum"),
                try row.decode(Date.self, column: "applied_at")
            )
        }
        return applied
    }

    private func verifyUnchanged(_ applied: [String: (checksum: String, appliedAt: Date)]) throws {
        for migration in migrations {
            if let recorded = applied[migration.name], recorded.checksum != migration.checksum {
                throw MigrationError(
                    migration: migration.name,
                    problem: "the file changed after it was applied; add a new migration instead of editing it"
                )
            }
        }
    }
}
