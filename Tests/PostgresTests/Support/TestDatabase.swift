import Foundation
import Logging
import Postgres
import Testing

/// Where the tests find PostgreSQL: the server from `DLQ_TEST_DATABASE_URL`, and the database created for
/// the running suite by ``TemporaryDatabaseTrait``.
enum TestDatabase {
    static let urlVariable = "DLQ_TEST_DATABASE_URL"
    static let logger = Logger(label: "PostgresTests")

    /// The database of the suite running in this task; set by `.temporaryDatabase`.
    @TaskLocal static var name: String?

    /// The server URL. Missing is a failure, not a skip: a green run must mean the tests ran.
    static func serverURL() throws -> String {
        guard let url = ProcessInfo.processInfo.environment[urlVariable], !url.isEmpty else {
            throw SetupError(
                "\(urlVariable) is not set: run `scripts/postgres.sh start` and "
                    + "`export \(urlVariable)=$(scripts/postgres.sh url)`, then run the tests again")
        }
        return url
    }

    /// A new connection to the running suite's own database.
    static func connect() async throws -> PostgresConnection {
        let url = try serverURL()
        guard let name else {
            throw SetupError("the suite needs the .temporaryDatabase trait")
        }
        return try await PostgresConnection.connect(to: url, database: name, logger: logger)
    }

    /// Runs `body` with a fresh connection to the suite's database, closing it afterwards.
    @discardableResult
    static func withConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let connection = try await connect()
        do {
            let result = try await body(connection)
            await connection.close()
            return result
        } catch {
            await connection.close()
            throw error
        }
    }

    /// A table name no other test in the suite uses, so tests can run in parallel.
    static func uniqueTableName(_ prefix: String) -> String {
        "\(prefix)_\(UUID().uuidString.prefix(8).lowercased())"
    }

    struct SetupError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}

/// Gives a suite its own database, created before its first test and dropped after its last, so suites
/// can run in parallel without seeing each other's tables.
struct TemporaryDatabaseTrait: SuiteTrait, TestScoping {
    func provideScope(
        for test: Test,
        testCase: Test.Case?,
        performing function: @Sendable () async throws -> Void
    ) async throws {
        // Without a server URL the tests still run, and each fails saying how to provide one.
        guard let url = try? TestDatabase.serverURL() else {
            try await function()
            return
        }
        let suite = test.name.lowercased().filter { $0.isLetter || $0.isNumber }.prefix(30)
        let name = "dlq_test_\(suite)_\(UUID().uuidString.prefix(8).lowercased())"
        let admin = try await PostgresConnection.connect(to: url, logger: TestDatabase.logger)
        try await admin.execute("CREATE DATABASE \(unsafeRaw: name)")
        do {
            try await TestDatabase.$name.withValue(name) {
                try await function()
            }
        } catch {
            _ = try? await admin.execute("DROP DATABASE IF EXISTS \(unsafeRaw: name) WITH (FORCE)")
            await admin.close()
            throw error
        }
        try await admin.execute("DROP DATABASE IF EXISTS \(unsafeRaw: name) WITH (FORCE)")
        await admin.close()
    }
}

extension Trait where Self == TemporaryDatabaseTrait {
    /// Runs the suite in its own, newly created database.
    static var temporaryDatabase: Self { TemporaryDatabaseTrait() }
}

/// A small deterministic generator, so a failing data-driven test fails the same way every run.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        // SplitMix64.
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &self) }
    }
}
