import DLQManager
import Foundation
import Logging
import Postgres
import Testing

/// A freshly created and migrated database on the test server, one per test, so tests run in parallel.
struct TestDatabase {
    let url: String
    let name: String
    private let serverURL: String

    static let logger = Logger(label: "test")

    /// The test server from `scripts/test` (which starts it and exports the URL).
    static func serverURL() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["DLQ_TEST_DATABASE_URL"] else {
            throw TestSetupError(
                "DLQ_TEST_DATABASE_URL is not set: run the suite with scripts/test, or start a server with "
                    + "`scripts/postgres.sh start` and export its URL"
            )
        }
        return url
    }

    static func create(serverURL: String? = nil, migrated: Bool = true) async throws -> TestDatabase {
        let serverURL = try serverURL ?? Self.serverURL()
        let name = "dlq_test_\(UInt32.random(in: 0...UInt32.max))"
        let admin = try await PostgresConnection.connect(to: serverURL, logger: logger)
        try await admin.executeUnsafe(script: "CREATE DATABASE \(name)")
        await admin.close()
        let database = TestDatabase(url: Self.url(serverURL, database: name), name: name, serverURL: serverURL)
        if migrated {
            let connection = try await database.connect()
            try await Migrator(directory: RepositoryPaths.migrations).migrate(on: connection, logger: logger)
            await connection.close()
        }
        return database
    }

    func connect() async throws -> PostgresConnection {
        try await PostgresConnection.connect(to: url, logger: Self.logger)
    }

    /// Runs one query on a short-lived connection.
    func query(_ query: PostgresQuery) async throws -> PostgresRows {
        let connection = try await connect()
        do {
            let rows = try await connection.query(query)
            await connection.close()
            return rows
        } catch {
            await connection.close()
            throw error
        }
    }

    func count(_ condition: String = "true") async throws -> Int64 {
        let rows = try await query("SELECT count(*) AS n FROM dead_letters WHERE \(unsafeRaw: condition)")
        return try rows.map { try $0.decode(Int64.self, column: "n") }.first ?? -1
    }

    func drop() async {
        guard let admin = try? await PostgresConnection.connect(to: serverURL, logger: Self.logger) else { return }
        _ = try? await admin.executeUnsafe(script: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        await admin.close()
    }

    /// The server URL with another database name.
    static func url(_ serverURL: String, database: String) -> String {
        guard let slash = serverURL.range(of: "/", options: .backwards), serverURL[..<slash.lowerBound].hasSuffix("//") == false else {
            return serverURL + "/" + database
        }
        let rest = serverURL[slash.upperBound...]
        let query = rest.firstIndex(of: "?").map { String(rest[$0...]) } ?? ""
        return serverURL[..<slash.lowerBound] + "/" + database + query
    }
}

struct TestSetupError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
