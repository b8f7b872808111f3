/// How the daemon reaches Kafka and which dead-letter topics it drains.
public struct KafkaSettings: Sendable {
    public var bootstrapServers: String
    /// The consumer group the daemons share; several instances split the partitions between them.
    public var groupID: String
    /// Topic names, or librdkafka regular expressions starting with `^`.
    public var topics: [String]
    /// `earliest` or `latest`: where a group with no committed offset starts.
    public var autoOffsetReset: String
    /// Any librdkafka property, passed through verbatim (security.protocol, sasl.mechanism, ssl.ca.location, ...).
    public var properties: [String: String]
    /// librdkafka properties whose values are secret (sasl.password, ssl.key.password, ...), read from the
    /// environment (`DLQ_KAFKA_SECRET_SASL_PASSWORD`) or from files (`kafka.secret_property_files`).
    public var secretProperties: [String: Secret]

    /// Everything handed to librdkafka besides the typed settings.
    public func passThroughProperties() -> [String: String] {
        properties.merging(secretProperties.mapValues { $0.revealed() }) { _, secret in secret }
    }
}
