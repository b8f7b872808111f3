import Postgres
import Testing

/// Interpolated values become bind parameters; only `unsafeRaw:` splices SQL text.
@Suite(.temporaryDatabase)
struct QueryInterpolationTests {
    @Test func interpolatedValuesBecomePlaceholders() {
        let name = "x"
        let id = 7
        let query: PostgresQuery = "SELECT * FROM t WHERE id = \(id) AND name = \(name)"
        #expect(query.sql == "SELECT * FROM t WHERE id = $1 AND name = $2")
        #expect(query.bindCount == 2)
    }

    @Test func unsafeRawInsertsSQLTextVerbatim() {
        let table = "dead_letters"
        let query: PostgresQuery = "SELECT * FROM \(unsafeRaw: table) WHERE id = \(1)"
        #expect(query.sql == "SELECT * FROM dead_letters WHERE id = $1")
        #expect(query.bindCount == 1)
    }

    @Test func anInterpolatedStringLiteralIsAValueNotSQL() {
        let query: PostgresQuery = "SELECT \("x")"
        #expect(query.sql == "SELECT $1")
        #expect(query.bindCount == 1)
    }

    @Test func anInterpolatedQueryIsSplicedWithItsBinds() {
        let filter: PostgresQuery = "topic = \("orders") AND status = \("new")"
        let query: PostgresQuery = "SELECT * FROM t WHERE id > \(10) AND \(filter) LIMIT \(5)"
        #expect(query.sql == "SELECT * FROM t WHERE id > $1 AND topic = $2 AND status = $3 LIMIT $4")
        #expect(query.bindCount == 4)
    }

    @Test func appendingRenumbersTheAppendedBinds() {
        var query: PostgresQuery = "SELECT * FROM t WHERE a = \(1)"
        query.append(" AND b = \("two") AND c = \(3)")
        #expect(query.sql == "SELECT * FROM t WHERE a = $1 AND b = $2 AND c = $3")
        #expect(query.bindCount == 3)
    }

    @Test func anInjectionAttemptIsStoredVerbatim() async throws {
        try await TestDatabase.withConnection { connection in
            let table = TestDatabase.uniqueTableName("notes")
            try await connection.execute("CREATE TABLE \(unsafeRaw: table) (body text)")
            let hostile = "'; DROP TABLE \(table); --"
            try await connection.execute("INSERT INTO \(unsafeRaw: table) (body) VALUES (\(hostile))")
            let rows = try await connection.query("SELECT body FROM \(unsafeRaw: table)")
            #expect(try rows.map { try $0.decode(String.self, column: "body") } == [hostile])
        }
    }

    @Test func aNilOptionalBindsNull() async throws {
        try await TestDatabase.withConnection { connection in
            let missing: String? = nil
            let row = try #require(try await connection.query("SELECT \(missing) IS NULL AS is_null").first)
            #expect(try row.decode(Bool.self, column: "is_null"))
        }
    }

    @Test func executeReturnsTheAffectedRowCount() async throws {
        try await TestDatabase.withConnection { connection in
            let table = TestDatabase.uniqueTableName("counted")
            try await connection.execute("CREATE TABLE \(unsafeRaw: table) (n int8)")
            #expect(try await connection.execute("INSERT INTO \(unsafeRaw: table) SELECT generate_series(1, 5)") == 5)
            #expect(try await connection.execute("UPDATE \(unsafeRaw: table) SET n = n + 1 WHERE n > \(3)") == 2)
        }
    }

    @Test func executeUnsafeRunsAWholeScript() async throws {
        try await TestDatabase.withConnection { connection in
            let table = TestDatabase.uniqueTableName("scripted")
            try await connection.executeUnsafe(script: """
                CREATE TABLE \(table) (n int8);
                INSERT INTO \(table) VALUES (1), (2);
                INSERT INTO \(table) VALUES (3);
                """)
            let rows = try await connection.query("SELECT count(*) AS n FROM \(unsafeRaw: table)")
            #expect(try rows.first?.decode(Int.self, column: "n") == 3)
        }
    }

    @Test func aParameterisedQueryRejectsASecondStatement() async throws {
        try await TestDatabase.withConnection { connection in
            let error = try await #require(throws: PostgresError.self) {
                try await connection.execute("SELECT 1; SELECT 2")
            }
            #expect(error.kind == .server)
        }
    }

    @Test func aStatementRaisingANoticeSucceeds() async throws {
        try await TestDatabase.withConnection { connection in
            try await connection.execute("DO $$ BEGIN RAISE NOTICE 'notice-from-test'; END $$")
        }
    }
}
