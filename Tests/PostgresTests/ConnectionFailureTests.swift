import Postgres
import Testing

/// A connection that cannot be made or is lost surfaces as a connection failure.
@Suite(.temporaryDatabase)
struct ConnectionFailureTests {
    @Test func aTerminatedBackendFailsTheNextQueryAndClosesTheConnection() async throws {
        let victim = try await TestDatabase.connect()
        let pid = try await victim.query("SELECT pg_backend_pid() AS pid").first!.decode(Int32.self, column: "pid")
        try await TestDatabase.withConnection { killer in
            // The timeout makes pg_terminate_backend wait until the backend has exited.
            let terminated = try await killer.query("SELECT pg_terminate_backend(\(pid), 10000) AS done")
            #expect(try terminated.first?.decode(Bool.self, column: "done") == true)
        }
        let error = try await #require(throws: PostgresError.self) {
            try await victim.query("SELECT 1")
        }
        #expect(error.isConnectionFailure)
        #expect(victim.isClosed)
        await victim.close()
    }

    @Test func aClosedPortFailsWithAConnectionError() async throws {
        let error = try await #require(throws: PostgresError.self) {
            try await PostgresConnection.connect(to: "postgresql://postgres@127.0.0.1:1/postgres", logger: TestDatabase.logger)
        }
        #expect(error.kind == .connection)
        #expect(error.isConnectionFailure)
    }

    @Test func aClosedConnectionRefusesFurtherWork() async throws {
        let connection = try await TestDatabase.connect()
        #expect(!connection.isClosed)
        await connection.close()
        #expect(connection.isClosed)
        let error = try await #require(throws: PostgresError.self) {
            try await connection.query("SELECT 1")
        }
        #expect(error.kind == .connection)
        await connection.close()
    }
}
