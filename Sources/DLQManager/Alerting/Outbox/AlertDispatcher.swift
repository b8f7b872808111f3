import DLQCore
import Foundation
import Logging
import Postgres
import ServiceLifecycle

/// Delivers what the ingest transactions put in the alert outbox: groups due arrivals into notifications,
/// routes them to sinks, sends them with retries and rate limits, and records every outcome.
///
/// It holds no state that another daemon would need: work is claimed with row locks, so any number of
/// daemons share it, and a daemon killed mid-send leaves its claims to expire and be retried.
public struct AlertDispatcher: Service {
    private let alerting: AlertingSettings
    private let database: Database
    private let logger: Logger
    private let wakeup = DispatcherWakeup()
    private let sinks: [String: any AlertSink]
    private let redaction: AlertRedaction
    private let store: AlertOutboxStore
    private let backoff: RetryBackoff
    private let rateLimiter: SinkRateLimiter

    private let health: DaemonHealth?

    public init(configuration: DLQConfiguration, logger: Logger, health: DaemonHealth? = nil) throws {
        self.health = health
        alerting = configuration.alerting
        database = Database(settings: configuration.database, logger: logger)
        self.logger = logger
        sinks = try Dictionary(uniqueKeysWithValues: alerting.sinks.map { ($0.name, try makeAlertSink($0)) })
        redaction = alerting.redaction
        store = AlertOutboxStore(lease: alerting.timeout + .seconds(30))
        backoff = RetryBackoff(initial: alerting.retryInitial, maximum: alerting.retryMaximum)
        rateLimiter = SinkRateLimiter(sinks: alerting.sinks)
    }

    public func run() async throws {
        // Every sink and outcome starts at 0, so that the first failure is an increase alert rules can see.
        for sink in sinks.keys {
            for status in ["delivered", "failed", "given_up"] {
                DLQMetrics.recordAlert(sink: sink, status: status, count: 0)
            }
        }
        health?.setDispatcherRunning(true)
        defer { health?.setDispatcherRunning(false) }
        let client = AlertHTTPClient(timeout: alerting.timeout)
        let listener = Task { await listenForWork() }
        await withGracefulShutdownHandler {
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                let nextDue = await dispatchOnce(client)
                await wakeup.wait(upTo: min(nextDue ?? alerting.pollInterval, alerting.pollInterval))
            }
        } onGracefulShutdown: {
            Task { await wakeup.signal() }
        }
        listener.cancel()
        await client.shutdown()
        await database.close()
    }

    /// Promotes and delivers everything due now; returns how long until more falls due (zero: go again).
    private func dispatchOnce(_ client: AlertHTTPClient) async -> Duration? {
        do {
            let connection = try await database.connection()
            let resolving = Set(sinks.filter { $0.value.supportsResolve }.keys)
            let promoted = try await store.promoteDue(alerting: alerting, resolvingSinks: resolving, on: connection)
            let claimed = try await store.claimDue(limit: 50, on: connection)
            if !claimed.isEmpty {
                try await deliver(claimed, client: client, on: connection)
            }
            if promoted > 0 || !claimed.isEmpty { return .zero }
            return try await store.timeUntilNextDue(on: connection)
        } catch {
            logger.warning("alert dispatch failed; will retry", metadata: ["error": "\(error)"])
            return alerting.pollInterval
        }
    }

    private func deliver(_ claimed: [ClaimedDelivery], client: AlertHTTPClient, on connection: PostgresConnection) async throws {
        var sendable: [(ClaimedDelivery, AlertHTTPRequest)] = []
        for delivery in claimed {
            guard let sink = sinks[delivery.sink] else {
                try await store.markFinal(delivery.id, status: "failed", httpStatus: nil, reason: "no sink named \(delivery.sink) is configured", on: connection)
                continue
            }
            if delivery.createdAt.addingTimeInterval(alerting.maxAge.seconds) < Date() {
                try await giveUp(delivery, on: connection)
                continue
            }
            if let wait = rateLimiter.acquire(delivery.sink) {
                try await store.postpone(delivery.id, by: wait, on: connection)
                continue
            }
            do {
                sendable.append((delivery, try sink.request(for: delivery.alert, redaction: redaction, now: Date())))
            } catch {
                try await store.markFinal(delivery.id, status: "failed", httpStatus: nil, reason: "cannot build the request: \(error)", on: connection)
            }
        }
        // Sends run concurrently; the outcomes are recorded one by one on this task's connection.
        let outcomes = await withTaskGroup(of: (ClaimedDelivery, DeliveryOutcome).self) { group in
            for (delivery, request) in sendable {
                group.addTask { (delivery, await client.deliver(request)) }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        for (delivery, outcome) in outcomes {
            try await record(outcome, of: delivery, on: connection)
        }
    }

    private func record(_ outcome: DeliveryOutcome, of delivery: ClaimedDelivery, on connection: PostgresConnection) async throws {
        let metadata: Logger.Metadata = [
            "sink": "\(delivery.sink)", "kind": "\(delivery.alert.kind.rawValue)",
            "fingerprint": "\(delivery.alert.fingerprint)", "attempt": "\(delivery.attempts)",
        ]
        switch outcome {
        case .delivered(let status):
            try await store.markDelivered(delivery.id, status: status, on: connection)
            DLQMetrics.recordAlert(sink: delivery.sink, status: "delivered")
            logger.info("alert delivered", metadata: metadata)
        case .failed(let status, let reason):
            try await store.markFinal(delivery.id, status: "failed", httpStatus: status, reason: reason, on: connection)
            DLQMetrics.recordAlert(sink: delivery.sink, status: "failed")
            logger.error("alert refused by the sink; not retried", metadata: metadata.merging(["reason": "\(reason)"]) { $1 })
        case .retry(let retryAfter, let reason):
            let delay = backoff.delay(afterAttempt: delivery.attempts, retryAfter: retryAfter)
            if delivery.createdAt.addingTimeInterval(alerting.maxAge.seconds) < Date().addingTimeInterval(delay.seconds) {
                try await giveUp(delivery, lastError: reason, on: connection)
                return
            }
            try await store.scheduleRetry(delivery.id, after: delay, reason: reason, on: connection)
            logger.warning("alert delivery failed; will retry", metadata: metadata.merging(["reason": "\(reason)", "retry_in": "\(delay)"]) { $1 })
        }
    }

    private func giveUp(_ delivery: ClaimedDelivery, lastError: String? = nil, on connection: PostgresConnection) async throws {
        let reason = "gave up after \(delivery.attempts) attempt(s) over \(alerting.maxAge)"
        let recorded = try await store.markGivenUp(delivery.id, reason: reason, lastError: lastError, on: connection)
        DLQMetrics.recordAlert(sink: delivery.sink, status: "given_up")
        logger.error("alert given up", metadata: ["sink": "\(delivery.sink)", "fingerprint": "\(delivery.alert.fingerprint)", "reason": "\(recorded)"])
    }

    /// Wakes the dispatch loop on every NOTIFY from an ingest transaction; reconnects when the listening
    /// connection is lost. The loop also polls, so a notification lost in a reconnect only delays an alert.
    private func listenForWork() async {
        while !Task.isCancelled {
            do {
                let listener = try await PostgresNotificationListener.listen(
                    to: databaseConnectionString,
                    channels: [ErrorGroupStore.alertChannel],
                    logger: logger
                )
                for await _ in listener.notifications {
                    await wakeup.signal()
                }
                await listener.close()
            } catch {
                logger.debug("cannot listen for alert notifications; polling", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: alerting.pollInterval)
        }
    }

    private var databaseConnectionString: String { database.connectionString }
}
