import Foundation
import Logging
import ServiceLifecycle

/// Exports consumer-group lag every `interval`: the watched application groups as `kafka_consumergroup_lag`
/// (kafka-exporter's name and labels, so existing alert rules work) with a per-topic sum, and the daemon's own
/// group on its DLQ topics as `dlq_ingest_consumer_lag`.
public struct LagMonitor: Service {
    private let reader: ConsumerGroupLagReader
    private let watched: [WatchedGroup]
    private let ownGroup: String
    /// The configured DLQ topics that are names; `^patterns` cannot be listed without the cluster's topic list.
    private let ownTopics: [String]
    private let interval: Duration
    private let logger: Logger

    public init(configuration: DLQConfiguration, logger: Logger) {
        reader = ConsumerGroupLagReader(settings: configuration.kafka, logger: logger)
        watched = configuration.lag.groups
        ownGroup = configuration.kafka.groupID
        ownTopics = configuration.kafka.topics.filter { !$0.hasPrefix("^") }
        interval = configuration.lag.interval
        self.logger = logger
    }

    public func run() async throws {
        var partitions = GaugeSet(name: DLQMetrics.groupLag, labels: ["consumergroup", "topic", "partition"])
        var sums = GaugeSet(name: DLQMetrics.groupLagSum, labels: ["consumergroup", "topic"])
        var own = GaugeSet(name: DLQMetrics.ingestLag, labels: ["topic", "partition"])
        while !Task.isShuttingDownGracefully {
            do {
                var partitionValues: [[String]: Double] = [:]
                var sumValues: [[String]: Double] = [:]
                for group in watched {
                    for lag in try await reader.lag(group: group.group, topics: group.topics) {
                        partitionValues[[lag.group, lag.topic, String(lag.partition)]] = Double(lag.lag)
                        sumValues[[lag.group, lag.topic], default: 0] += Double(lag.lag)
                    }
                }
                partitions.report(partitionValues)
                sums.report(sumValues)
                if !ownTopics.isEmpty {
                    let lags = try await reader.lag(group: ownGroup, topics: ownTopics)
                    own.report(Dictionary(uniqueKeysWithValues: lags.map { ([$0.topic, String($0.partition)], Double($0.lag)) }))
                }
            } catch {
                logger.warning("reading consumer-group lag failed; will retry", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
