import DLQCore
import Foundation
import Metrics
import Prometheus

/// The daemon's metrics, recorded through swift-metrics: whatever backend `main` bootstrapped (Prometheus in
/// `dlq ingest`) receives them, and without one they cost nothing. Names and labels as in DESIGN.md; no label
/// ever carries an id, so the series stay bounded.
public enum DLQMetrics {
    public static let ingested = "dlq_messages_ingested_total"
    public static let unresolved = "dlq_unresolved_events"
    public static let oldestUnresolvedAge = "dlq_oldest_unresolved_age_seconds"
    public static let eventAge = "dlq_event_age_seconds"
    public static let batchDuration = "dlq_ingest_batch_duration_seconds"
    public static let ingestLag = "dlq_ingest_consumer_lag"
    public static let groupLag = "kafka_consumergroup_lag"
    public static let groupLagSum = "kafka_consumergroup_lag_sum"
    public static let alertsSent = "dlq_alerts_sent_total"
    public static let outboxPending = "dlq_alert_outbox_pending"
    public static let replayEvents = "dlq_replay_events_total"

    /// Buckets of ``eventAge``: from seconds (a consumer that dead-letters at once) to a week (a DLQ nobody drained).
    public static let eventAgeBuckets: [Double] = [1, 5, 30, 60, 300, 900, 3600, 14_400, 86_400, 604_800]

    /// Makes Prometheus the backend of every metric recorded from now on, and returns the registry the HTTP
    /// endpoint renders. Once per process (swift-metrics allows one bootstrap).
    public static func bootstrapPrometheus() -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.valueHistogramBuckets[eventAge] = eventAgeBuckets
        MetricsSystem.bootstrap(factory)
        return registry
    }

    /// Counts stored dead letters by DLQ topic, original topic and class, and records the failure-to-ingestion
    /// age of those whose failure time is known.
    static func recordArrivals(_ letters: [ClassifiedDeadLetter], at now: Date) {
        var counts: [ArrivalLabels: Int64] = [:]
        let age = Recorder(label: eventAge, aggregate: true)
        for index in letters.indices {
            let letter = letters[index].letter
            counts[ArrivalLabels(
                dlqTopic: letter.coordinate.topic,
                originalTopic: letter.originalTopic ?? "unknown",
                errorClass: letters[index].classification.errorClass
            ), default: 0] += 1
            if let failedAt = letter.failedAt {
                age.record(max(0, now.timeIntervalSince(failedAt)))
            }
        }
        for (labels, count) in counts {
            Counter(label: ingested, dimensions: [
                ("dlq_topic", labels.dlqTopic), ("original_topic", labels.originalTopic), ("error_class", labels.errorClass),
            ]).increment(by: count)
        }
    }

    static func recordBatch(duration: Duration) {
        Metrics.Timer(label: batchDuration).recordNanoseconds(
            duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }

    static func recordAlert(sink: String, status: String, count: Int = 1) {
        Counter(label: alertsSent, dimensions: [("sink", sink), ("status", status)]).increment(by: count)
    }

    static func recordReplay(status: String, count: Int) {
        guard count > 0 else { return }
        Counter(label: replayEvents, dimensions: [("status", status)]).increment(by: count)
    }

    private struct ArrivalLabels: Hashable {
        var dlqTopic: String
        var originalTopic: String
        var errorClass: String
    }
}
