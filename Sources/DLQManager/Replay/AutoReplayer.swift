import DLQCore
import Foundation
import Logging
import Postgres
import ServiceLifecycle

/// The daemon's auto-replay: every `replay.auto_interval_ms`, for each `auto-replay` rule, replays the rule's
/// unresolved dead letters that have cooled down, as a replay job of operator `system:auto-replay` (visible in
/// `dlq replay list` and the audit trail like any other).
///
/// Several daemons may share one database: a session advisory lock makes one of them do a round while the
/// others skip it. A round first resumes auto-replay jobs a stopped daemon left unfinished, so their claims do
/// not hold events back.
public struct AutoReplayer: Service {
    public static let operatorName = "system:auto-replay"
    /// The second key of the advisory lock (the first is ``ReplayJobStore/lockNamespace``); job ids start at 1.
    private static let lockKey: Int32 = 0

    private let policies: [AutoReplayPolicy]
    private let configuration: DLQConfiguration
    private let logger: Logger
    private let tracer: TraceExporter?

    /// Nil when no rule says `auto-replay`.
    public init?(configuration: DLQConfiguration, logger: Logger, tracer: TraceExporter? = nil) {
        guard !configuration.autoReplay.isEmpty else { return nil }
        policies = configuration.autoReplay
        self.configuration = configuration
        self.logger = logger
        self.tracer = tracer
    }

    public func run() async throws {
        let database = Database(settings: configuration.database, logger: logger)
        while !Task.isShuttingDownGracefully {
            do {
                try await round(on: database.connection())
            } catch {
                // A lost database is the ingestor's to report; auto-replay tries again next round.
                logger.warning("auto-replay round failed; will retry", metadata: ["error": "\(error)"])
                await database.close()
            }
            try? await cancelWhenGracefulShutdown {
                try await Task.sleep(for: configuration.replay.autoInterval)
            }
        }
        await database.close()
    }

    /// One round: resumes unfinished auto-replay jobs, then starts one job per rule with cooled-down events.
    public func round(on connection: PostgresConnection, now: Date = Date()) async throws {
        let locked = try await connection.query("""
            SELECT pg_try_advisory_lock(\(ReplayJobStore.lockNamespace), \(Self.lockKey)) AS locked
            """)
        guard try locked[0].decode(Bool.self, column: 0) else { return }
        do {
            try await replayDue(on: connection, now: now)
        } catch {
            _ = try? await unlock(connection)
            throw error
        }
        try await unlock(connection)
    }

    private func unlock(_ connection: PostgresConnection) async throws {
        _ = try await connection.query("SELECT pg_advisory_unlock(\(ReplayJobStore.lockNamespace), \(Self.lockKey))")
    }

    private func replayDue(on connection: PostgresConnection, now: Date) async throws {
        let runner = ReplayRunner(configuration: configuration, logger: logger, tracer: tracer)
        let unfinished = try await connection.query("""
            SELECT id FROM replay_jobs
            WHERE operator = \(Self.operatorName) AND state IN ('pending', 'running', 'interrupted', 'failed')
            ORDER BY id
            """)
        for row in unfinished where !Task.isShuttingDownGracefully {
            _ = try await runner.run(
                jobID: try row.decode(Int64.self, column: 0), operator: Self.operatorName, on: connection,
                shouldStop: { Task.isShuttingDownGracefully })
        }
        for policy in policies where !Task.isShuttingDownGracefully {
            var selection = DeadLetterSelection()
            selection.ruleNames = [policy.ruleName]
            selection.statuses = [.new]
            selection.until = now.addingTimeInterval(-policy.cooldown.seconds)
            let request = ReplayRequest(
                selection: selection, operatorName: Self.operatorName,
                reason: "rule \(policy.ruleName): auto-replay after \(Int(policy.cooldown.seconds)) s, at most \(policy.maxAttempts) times",
                maxReplays: policy.maxAttempts, skipEventsAtLimit: true
            )
            guard let jobID = try await ReplayJobStore().create(request, ifNotEmpty: true, on: connection) else { continue }
            let job = try await runner.run(
                jobID: jobID, operator: Self.operatorName, on: connection, shouldStop: { Task.isShuttingDownGracefully })
            logger.info("auto-replay job ran", metadata: [
                "replay.job": "\(jobID)", "replay.rule": "\(policy.ruleName)", "replay.state": "\(job.state.rawValue)",
                "replay.published": "\(job.items.published)",
            ])
        }
    }
}
