import Postgres
import Testing

/// Server errors keep their SQLSTATE, and only the debug description carries row data.
@Suite(.temporaryDatabase)
struct ErrorTests {
    private func uniqueViolation(value: String) async throws -> PostgresError {
        try await TestDatabase.withConnection { connection in
            let table = TestDatabase.uniqueTableName("unique_keys")
            try await connection.execute("CREATE TABLE \(unsafeRaw: table) (k text UNIQUE)")
            try await connection.execute("INSERT INTO \(unsafeRaw: table) (k) VALUES (\(value))")
            return try await #require(throws: PostgresError.self) {
                try await connection.execute("INSERT INTO \(unsafeRaw: table) (k) VALUES (\(value))")
            }
        }
    }

    @Test func aDuplicateKeyIsAUniqueViolation() async throws {
        let error = try await uniqueViolation(value: "key-1")
        #expect(error.isUniqueViolation)
        #expect(error.sqlState == "23505")
        #expect(error.kind == .server)
        #expect(!error.isConnectionFailure)
    }

    @Test func theDescriptionLeavesOutTheConflictingValue() async throws {
        let secret = "secret-payload-4711"
        let error = try await uniqueViolation(value: secret)
        #expect(error.detail?.contains(secret) == true)
        #expect(!error.description.contains(secret))
        #expect(!String(describing: error).contains(secret))
        #expect(error.description.contains("23505"))
    }

    @Test func theDebugDescriptionHasTheDetail() async throws {
        let secret = "secret-payload-4712"
        let error = try await uniqueViolation(value: secret)
        #expect(error.debugDescription.contains(secret))
        #expect(error.constraintName != nil)
    }

    @Test func aSyntaxErrorCarriesItsPosition() async throws {
        try await TestDatabase.withConnection { connection in
            let error = try await #require(throws: PostgresError.self) {
                try await connection.query("SELEC 1")
            }
            #expect(error.sqlState == "42601")
            #expect(error.statementPosition == 1)
        }
    }

    @Test func aCopyStatementThroughQueryIsRejectedAndTheConnectionRecovers() async throws {
        try await TestDatabase.withConnection { connection in
            let table = TestDatabase.uniqueTableName("copy_misuse")
            try await connection.execute("CREATE TABLE \(unsafeRaw: table) (n int8)")
            let error = try await #require(throws: PostgresError.self) {
                try await connection.execute("COPY \(unsafeRaw: table) FROM STDIN")
            }
            #expect(error.kind == .protocol)
            #expect(try await connection.query("SELECT 1 AS one").first?.decode(Int.self, column: "one") == 1)
        }
    }
}
