import ArgumentParser
import DLQManager
import Logging
import ServiceLifecycle

/// `dlq ingest`: the daemon.
struct Ingest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the ingestion daemon: drain DLQ topics into PostgreSQL.",
        discussion: """
            Each poll batch is written in one transaction; offsets are committed to Kafka only after it commits,
            so a crash loses nothing and a redelivered record is stored once. While PostgreSQL is unreachable the
            daemon holds its offsets and retries with backoff. SIGTERM or SIGINT finishes the batch in flight,
            commits, and exits 0. Run several instances with the same group id to share the partitions.

            With alerting.sinks configured, the daemon also runs the alert dispatcher: each arrival is
            classified and grouped in the same transaction that stores it, and the dispatcher announces due
            groups to their sinks (see README, "Alerts").

            With retention.purge_after set, the daemon also purges resolved and replayed dead letters older
            than that, every retention.interval (see README, "Purging and retention").
            """
    )

    @OptionGroup var options: ConfigOptions

    @Option(name: .customLong("topic"), help: ArgumentHelp(
        "A DLQ topic, or a ^regex of topics (kafka.topics). Repeatable.",
        valueName: "topic"
    ))
    var topics: [String] = []

    @Option(help: ArgumentHelp("Consumer group shared by all daemons (kafka.group_id).", valueName: "id"))
    var groupID: String?

    func run() async throws {
        var extra: [String: String] = [:]
        if !topics.isEmpty { extra["kafka.topics"] = topics.joined(separator: ",") }
        extra["kafka.group_id"] = groupID
        let configuration = try options.load(extra: extra)
        let logger = Logger(label: "dlq.ingest")
        let registry = DLQMetrics.bootstrapPrometheus()
        let health = DaemonHealth(dispatcherExpected: !configuration.alerting.sinks.isEmpty)

        let tracer = TraceExporter(logger: Logger(label: "dlq.tracing"))
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let tracer {
            // First, so that it stops last and sends the spans of the final batch.
            services.append(.init(service: TraceExportService(exporter: tracer)))
        }
        services.append(.init(service: Ingestor(configuration: configuration, logger: logger, health: health, tracer: tracer)))
        if !configuration.alerting.sinks.isEmpty {
            let dispatcher: AlertDispatcher
            do {
                dispatcher = try AlertDispatcher(configuration: configuration, logger: Logger(label: "dlq.alerts"), health: health)
            } catch {
                printError("alerting: \(error)")
                throw ExitCode(2)
            }
            services.append(.init(service: dispatcher))
        }
        if let retention = RetentionService(
            settings: configuration.retention, database: configuration.database, logger: Logger(label: "dlq.retention")
        ) {
            services.append(.init(service: retention))
        }
        if let host = configuration.http.host {
            services.append(.init(service: DaemonHTTP.buildApplication(
                host: host, port: configuration.http.port, registry: registry, health: health,
                database: configuration.database, logger: Logger(label: "dlq.http")
            )))
            services.append(.init(service: StoreGaugeRefresher(
                database: configuration.database, interval: configuration.http.refreshInterval, logger: Logger(label: "dlq.metrics")
            )))
            services.append(.init(service: LagMonitor(configuration: configuration, logger: Logger(label: "dlq.lag"))))
        }
        if let autoReplayer = AutoReplayer(configuration: configuration, logger: Logger(label: "dlq.auto-replay"), tracer: tracer) {
            services.append(.init(service: autoReplayer))
        }
        let group = ServiceGroup(
            configuration: .init(
                services: services,
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        do {
            try await group.run()
        } catch let error as ConfigurationError {
            printError(error.description)
            throw ExitCode(2)
        }
    }
}
