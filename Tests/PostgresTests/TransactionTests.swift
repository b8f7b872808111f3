import Postgres
import Testing

/// `withTransaction` commits what its body did, or rolls it all back when the body throws.
@Suite(.temporaryDatabase)
struct TransactionTests {
    private struct Abort: Error {}

    private func count(_ table: String, on connection: PostgresConnection) async throws -> Int {
        try await connection.query("SELECT count(*) AS n FROM \(unsafeRaw: table)").first!.decode(Int.self, column: "n")
    }

    @Test func aReturningBodyCommits() async throws {
        try await TestDatabase.withConnection { connection in
            let table = TestDatabase.uniqueTableName("committed")
            try await connection.execute("CREATE TABLE \(unsafeRaw: table) (n int8)")
            let value = try await connection.withTransaction { transaction in
                try await transaction.execute("INSERT INTO \(unsafeRaw: table) VALUES (1), (2)")
            }
            #expect(value == 2)
            let other = try await TestDatabase.connect()
            #expect(try await count(table, on: other) == 2)
            await other.close()
        }
    }

    @Test func aThrowingBodyRollsBackAndRethrowsItsError() async throws {
        try await TestDatabase.withConnection { connection in
            let table = TestDatabase.uniqueTableName("rolled_back")
            try await connection.execute("CREATE TABLE \(unsafeRaw: table) (n int8)")
            await #expect(throws: Abort.self) {
                try await connection.withTransaction { transaction in
                    try await transaction.execute("INSERT INTO \(unsafeRaw: table) VALUES (1)")
                    throw Abort()
                }
            }
            #expect(try await count(table, on: connection) == 0)
        }
    }

    @Test func aFailedStatementRollsBackAndTheConnectionStaysUsable() async throws {
        try await TestDatabase.withConnection { connection in
            let table = TestDatabase.uniqueTableName("failed")
            try await connection.execute("CREATE TABLE \(unsafeRaw: table) (n int8 PRIMARY KEY)")
            let error = try await #require(throws: PostgresError.self) {
                try await connection.withTransaction { transaction in
                    try await transaction.execute("INSERT INTO \(unsafeRaw: table) VALUES (1)")
                    try await transaction.execute("INSERT INTO \(unsafeRaw: table) VALUES (1)")
                }
            }
            #expect(error.isUniqueViolation)
            #expect(try await count(table, on: connection) == 0)
        }
    }

    /// An actor's state is usable inside the transaction body: the body runs in the caller's isolation.
    private actor Ledger {
        var entries: [Int] = []

        func record(_ value: Int, on connection: PostgresConnection, table: String) async throws {
            try await connection.withTransaction { transaction in
                try await transaction.execute("INSERT INTO \(unsafeRaw: table) VALUES (\(value))")
                entries.append(value)
            }
        }
    }

    @Test func aTransactionBodyRunsInTheCallersActor() async throws {
        try await TestDatabase.withConnection { connection in
            let table = TestDatabase.uniqueTableName("ledger")
            try await connection.execute("CREATE TABLE \(unsafeRaw: table) (n int8)")
            let ledger = Ledger()
            try await ledger.record(5, on: connection, table: table)
            #expect(await ledger.entries == [5])
            #expect(try await count(table, on: connection) == 1)
        }
    }
}
