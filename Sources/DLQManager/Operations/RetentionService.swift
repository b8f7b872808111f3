import DLQCore
import Foundation
import Logging
import Postgres
import ServiceLifecycle

/// The daemon's retention: every `retention.interval`, purges resolved and replayed dead letters ingested more
/// than `retention.purge_after` ago (``Purge``), and records what it deleted in the audit trail as
/// `system:retention`.
///
/// Several daemons may share one database; each batch takes a transaction-scoped advisory lock, and a daemon
/// that finds it taken leaves the round to the one holding it, so the work is not done twice.
public struct RetentionService: Service {
    /// The advisory lock key of retention purges ("dlqret" in ASCII), the same in every daemon.
    public static let lockKey: Int64 = 0x64_6C_71_72_65_74
    public static let operatorName = "system:retention"

    private let purgeAfter: Age
    private let interval: Duration
    private let firstRunDelay: Duration
    private let database: Database
    private let logger: Logger

    /// Nil when retention is not configured (dead letters are kept forever).
    ///
    /// - Parameter firstRunDelay: the first purge runs this long after start (soon, but not in the way of the
    ///   ingestor's start-up), later ones every `interval`.
    public init?(
        settings: RetentionSettings,
        database: DatabaseSettings,
        firstRunDelay: Duration = .seconds(10),
        logger: Logger
    ) {
        guard let purgeAfter = settings.purgeAfter else { return nil }
        self.purgeAfter = purgeAfter
        self.interval = settings.interval
        self.firstRunDelay = firstRunDelay
        self.database = Database(settings: database, logger: logger)
        self.logger = logger
    }

    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                try await Task.sleep(for: firstRunDelay)
                while true {
                    do {
                        _ = try await purgeOnce(now: Date(), on: database.connection())
                    } catch is CancellationError {
                        throw CancellationError()
                    } catch {
                        // A lost database is the ingestor's problem to report; retention simply tries next time.
                        logger.warning("retention purge failed; will retry", metadata: ["error": "\(error)"])
                    }
                    try await Task.sleep(for: interval)
                }
            }
        } catch is CancellationError {
            // Shutting down.
        }
        await database.close()
    }

    /// One round: purges what is due at `now` and returns how many dead letters it deleted.
    public func purgeOnce(now: Date, on connection: PostgresConnection) async throws -> Int64 {
        try await Self.purge(olderThan: purgeAfter, now: now, on: connection, logger: logger)
    }

    /// The work of one round, for a caller without a running service (a test, a one-off command).
    public static func purge(olderThan age: Age, now: Date, on connection: PostgresConnection, logger: Logger) async throws -> Int64 {
        guard let purge = Purge(selection: DeadLetterSelection(), olderThan: age, now: now) else { return 0 }
        let deleted = try await purge.run(exclusive: lockKey, on: connection)
        if deleted > 0 {
            try await purge.audit(deleted: deleted, operator: operatorName, reason: "retention.purge_after \(age)", on: connection)
            logger.info("retention purged dead letters", metadata: ["deleted": "\(deleted)", "older_than": "\(age)"])
        }
        return deleted
    }
}
