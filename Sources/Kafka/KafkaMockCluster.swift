import CRdKafka
import Logging

/// librdkafka's in-process mock cluster, the project's dev broker.
///
/// It speaks the Kafka protocol on loopback (`127.0.0.1`, an ephemeral port per broker), so real clients
/// connect to ``bootstrapServers`` as to any cluster. It lives as long as this object.
///
/// Behaviour of librdkafka 2.0.2's mock that callers should know:
/// - Unknown topics are auto-created with 4 partitions as soon as a client names them: a producer sending to
///   one, and also a consumer subscribing to one by name (the mock ignores `allow.auto.create.topics`).
///   Topics matched only by a `^regex` subscription are never created. Use
///   ``createTopic(_:partitions:replicationFactor:)`` first when the partition count matters.
/// - Each partition keeps only about its last 5 MB; older records fall below the low watermark. Use enough
///   partitions for large volumes.
/// - A consumer group's first join takes about 3 seconds (the mock's initial rebalance delay).
/// - When a member leaves and another joins (a restart), the mock waits `session.timeout.ms - 1 s` before
///   completing the rebalance (44 s with librdkafka's default), where Kafka would go through an empty group
///   at once. Tests that restart a member set a short ``KafkaConsumerConfiguration/sessionTimeout`` (4 s; not
///   below 3 s, or the first join outlasts the session).
/// - Request errors pushed with ``pushRequestErrors(apiKey:errors:)`` are consumed by the next requests of that
///   ApiKey from *any* client, in order.
public final class KafkaMockCluster: Sendable {
    private let handle: MockClusterHandle

    /// `"127.0.0.1:port,..."`, one entry per broker.
    public let bootstrapServers: String

    public init(brokers: Int = 1) throws {
        handle = try MockClusterHandle(brokers: brokers)
        bootstrapServers = String(cString: rd_kafka_mock_cluster_bootstraps(handle.cluster))
    }

    public func createTopic(_ name: String, partitions: Int32, replicationFactor: Int32 = 1) throws {
        try rd_kafka_mock_topic_create(handle.cluster, name, partitions, replicationFactor)
            .check("create mock topic \(name)")
    }

    /// Fault injection: the next `errors.count` requests of this API (Kafka protocol ApiKey, e.g. 0 = Produce,
    /// 8 = OffsetCommit) fail with these error codes (raw Kafka error codes), in order.
    public func pushRequestErrors(apiKey: Int16, errors: [Int32]) {
        let codes = errors.map { rd_kafka_resp_err_t(rawValue: $0) }
        rd_kafka_mock_push_request_errors_array(handle.cluster, apiKey, codes.count, codes)
    }

    /// Takes a broker's listener down: connections are closed and new ones refused until ``setBrokerUp(_:)``.
    /// Broker ids start at 1.
    public func setBrokerDown(_ brokerID: Int32) throws {
        try rd_kafka_mock_broker_set_down(handle.cluster, brokerID).check("set mock broker \(brokerID) down")
    }

    public func setBrokerUp(_ brokerID: Int32) throws {
        try rd_kafka_mock_broker_set_up(handle.cluster, brokerID).check("set mock broker \(brokerID) up")
    }
}

/// Owns the mock cluster and the private client handle it runs in.
///
/// `@unchecked Sendable` because the pointers are not Sendable; sharing is safe because every `rd_kafka_mock_*`
/// call only posts an operation to the cluster's own thread (or reads the immutable bootstrap string), and
/// both are destroyed only in `deinit`.
private final class MockClusterHandle: @unchecked Sendable {
    let client: RdKafkaClient
    let cluster: OpaquePointer

    init(brokers: Int) throws(KafkaError) {
        // The cluster needs a host handle for its thread and logging; a producer has no group machinery.
        // Only problems are worth reading: this handle never connects anywhere, so librdkafka's notice that
        // it has no bootstrap.servers is noise.
        var logger = Logger(label: "kafka.mock-cluster")
        logger.logLevel = .warning
        client = try RdKafkaClient(type: RD_KAFKA_PRODUCER, properties: [], logger: logger)
        guard let cluster = rd_kafka_mock_cluster_new(client.pointer, Int32(clamping: brokers)) else {
            throw KafkaError(RD_KAFKA_RESP_ERR__FAIL, message: "could not start the mock cluster")
        }
        self.cluster = cluster
    }

    deinit {
        // Before the host handle, which `client` destroys right after.
        rd_kafka_mock_cluster_destroy(cluster)
    }
}
