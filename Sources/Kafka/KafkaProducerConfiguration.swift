/// How a ``KafkaProducer`` connects and sends.
///
/// As with ``KafkaConsumerConfiguration``, the typed fields are the ones this project relies on and anything
/// else librdkafka understands goes into ``properties`` verbatim.
public struct KafkaProducerConfiguration: Sendable {
    /// `bootstrap.servers`: comma-separated `host:port` list.
    public var bootstrapServers: String
    /// `enable.idempotence`: retries cannot duplicate or reorder messages within a partition. On by default
    /// because replaying dead letters twice is exactly what this project must avoid.
    public var idempotent: Bool = true
    /// `linger.ms`: how long librdkafka waits to fill a batch. Small, since replay batches arrive together.
    public var lingerMilliseconds: Int = 5
    /// Any librdkafka property, applied after the typed fields above (so it wins over them).
    public var properties: [String: String] = [:]

    public init(bootstrapServers: String) {
        self.bootstrapServers = bootstrapServers
    }

    /// Everything as librdkafka key/value pairs, in the order they must be applied.
    var librdkafkaProperties: [(String, String)] {
        let typed: [(String, String)] = [
            ("bootstrap.servers", bootstrapServers),
            ("enable.idempotence", idempotent ? "true" : "false"),
            ("linger.ms", String(lingerMilliseconds)),
        ]
        // Sorted so that a misconfiguration always fails on the same property.
        return typed + properties.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}
