import DLQManager
import Foundation
import Testing

@Suite("Migrations")
struct MigratorTests {
    @Test("a second run is a no-op, and --status lists every migration as applied")
    func idempotent() async throws {
        let database = try await TestDatabase.create(migrated: false)
        let migrator = try Migrator(directory: RepositoryPaths.migrations)
        let connection = try await database.connect()
        let first = try await migrator.migrate(on: connection, logger: TestDatabase.logger)
        let second = try await migrator.migrate(on: connection, logger: TestDatabase.logger)
        let status = try await migrator.status(on: connection)
        await connection.close()

        #expect(first.map(\.name) == migrator.migrations.map(\.name))
        #expect(second.isEmpty)
        #expect(status.allSatisfy { $0.appliedAt != nil })
        await database.drop()
    }

    @Test("two migrators racing apply each migration once")
    func concurrentMigrators() async throws {
        let database = try await TestDatabase.create(migrated: false)
        let migrator = try Migrator(directory: RepositoryPaths.migrations)
        async let a = migrateOnce(database, migrator)
        async let b = migrateOnce(database, migrator)
        let applied = try await a + b
        #expect(applied.sorted() == migrator.migrations.map(\.name).sorted())
        await database.drop()
    }

    private func migrateOnce(_ database: TestDatabase, _ migrator: Migrator) async throws -> [String] {
        let connection = try await database.connect()
        let applied = try await migrator.migrate(on: connection, logger: TestDatabase.logger)
        await connection.close()
        return applied.map(\.name)
    }

    @Test("an applied migration whose file was edited afterwards is refused")
    func editedMigrationRefused() async throws {
        let database = try await TestDatabase.create(migrated: false)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("migrations-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("0001_example.sql")
        try "CREATE TABLE example (id int);".write(to: file, atomically: true, encoding: .utf8)
        let connection = try await database.connect()
        try await Migrator(directory: directory).migrate(on: connection, logger: TestDatabase.logger)

        try "CREATE TABLE example (id bigint);".write(to: file, atomically: true, encoding: .utf8)
        await #expect(throws: MigrationError.self) {
            try await Migrator(directory: directory).migrate(on: connection, logger: TestDatabase.logger)
        }
        await connection.close()
        await database.drop()
    }
}
