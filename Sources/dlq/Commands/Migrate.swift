import ArgumentParser
import DLQManager
import Foundation
import Logging
import Postgres

/// `dlq migrate`: brings the database schema up to date.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply pending schema migrations (Migrations/*.sql), or list them with --status.",
        discussion: """
            Each migration runs in its own transaction and is recorded in schema_migrations. An advisory lock
            keeps two instances from migrating at once; running it when up to date changes nothing.
            """
    )

    @OptionGroup var options: ConfigOptions

    @Flag(help: "List applied and pending migrations instead of applying them.")
    var status = false

    @Flag(help: "Print the result as JSON.")
    var json = false

    func run() async throws {
        let configuration = try options.load()
        let logger = Logger(label: "dlq.migrate")
        let migrator = try Migrator(settings: configuration.database)
        try await withConnection(configuration, label: "dlq.migrate") { connection in
            try await run(migrator, on: connection, logger: logger)
        }
    }

    private func run(_ migrator: Migrator, on connection: PostgresConnection, logger: Logger) async throws {
        if status {
            let entries = try await migrator.status(on: connection)
            if json {
                try printJSON(entries.map { ["name": $0.migration.name, "applied_at": $0.appliedAt.map(iso8601) ?? "pending"] })
            } else {
                for entry in entries {
                    print("\(entry.appliedAt.map(iso8601) ?? "pending".padding(toLength: 20, withPad: " ", startingAt: 0))  \(entry.migration.name)")
                }
            }
            return
        }
        let applied = try await migrator.migrate(on: connection, logger: logger)
        if json {
            try printJSON(["applied": applied.map(\.name)])
        } else if applied.isEmpty {
            print("database is up to date (\(migrator.migrations.count) migrations)")
        } else {
            for migration in applied { print("applied \(migration.name)") }
        }
    }
}
