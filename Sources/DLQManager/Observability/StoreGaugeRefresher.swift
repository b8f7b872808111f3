import Foundation
import Logging
import Postgres
import ServiceLifecycle

/// Keeps the gauges that come from the store current: unresolved depth by DLQ topic and class, the age of the
/// oldest unresolved dead letter per DLQ topic, and the alert outbox backlog. Every `interval`.
public struct StoreGaugeRefresher: Service {
    private let database: Database
    private let interval: Duration
    private let logger: Logger

    public init(database: DatabaseSettings, interval: Duration, logger: Logger) {
        self.database = Database(settings: database, logger: logger)
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        var depth = GaugeSet(name: DLQMetrics.unresolved, labels: ["dlq_topic", "error_class"])
        var oldest = GaugeSet(name: DLQMetrics.oldestUnresolvedAge, labels: ["dlq_topic"])
        var outbox = GaugeSet(name: DLQMetrics.outboxPending, labels: [])
        while !Task.isShuttingDownGracefully {
            do {
                let connection = try await database.connection()
                // From the groups, kept current at ingest: a scan of every dead letter each round would not scale.
                let groups = try await connection.query("""
                    SELECT coalesce(dlq_topic, 'unknown'), error_class, sum(unresolved_count)::float8
                    FROM error_groups GROUP BY 1, 2
                    """)
                depth.report(Dictionary(uniqueKeysWithValues: try groups.map {
                    ([try $0.decode(String.self, column: 0), try $0.decode(String.self, column: 1)], try $0.decode(Double.self, column: 2))
                }))
                let ages = try await connection.query("""
                    SELECT d.dlq_topic, extract(epoch FROM now() - min(d.ingested_at))::float8
                    FROM dead_letters d
                    WHERE d.status = 'new' AND NOT EXISTS (
                        SELECT 1 FROM replay_items r WHERE r.dead_letter_id = d.id AND r.state = 'published')
                    GROUP BY d.dlq_topic
                    """)
                oldest.report(Dictionary(uniqueKeysWithValues: try ages.map {
                    ([try $0.decode(String.self, column: 0)], try $0.decode(Double.self, column: 1))
                }))
                let pending = try await connection.query("""
                    SELECT ((SELECT count(*) FROM alert_outbox) + (SELECT count(*) FROM alert_deliveries WHERE status = 'pending'))::float8
                    """)
                outbox.report([[]: try pending[0].decode(Double.self, column: 0)])
            } catch {
                logger.debug("refreshing store gauges failed; will retry", metadata: ["error": "\(error)"])
                await database.close()
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
        await database.close()
    }
}
