/// How a ``KafkaConsumer`` connects and joins its group.
///
/// The typed fields cover what this project sets itself; anything else librdkafka understands
/// (`security.protocol`, `sasl.*`, `ssl.*`, `fetch.max.bytes`, ...) goes into ``properties`` verbatim, so the
/// same code runs against the dev broker and a secured production cluster.
public struct KafkaConsumerConfiguration: Sendable {
    /// Where to start when the group has no committed offset for a partition (`auto.offset.reset`).
    public enum AutoOffsetReset: String, Sendable {
        case earliest
        case latest
    }

    /// `bootstrap.servers`: comma-separated `host:port` list.
    public var bootstrapServers: String
    /// `group.id`: consumers sharing it split the partitions and share committed offsets.
    public var groupID: String
    /// `auto.offset.reset`. Defaults to `.earliest` so that no dead letter is ever skipped.
    public var autoOffsetReset: AutoOffsetReset = .earliest
    /// `session.timeout.ms`; `nil` keeps librdkafka's default (45 s).
    public var sessionTimeout: Duration? = nil
    /// How many records ``KafkaConsumer/poll(timeout:)`` returns at most.
    public var maxPollBatchSize: Int = 5000
    /// Any librdkafka property, applied after the typed fields above (so it wins over them).
    ///
    /// `enable.auto.commit` and `enable.auto.offset.store` are the exception: the consumer always sets both to
    /// `false`. Offsets may only move once the caller's work is durable (``KafkaConsumer/storeOffsets(_:)``
    /// then ``KafkaConsumer/commit()``); letting librdkafka store or commit on its own would acknowledge
    /// records that were fetched but not yet saved, and lose them on a crash.
    public var properties: [String: String] = [:]

    public init(bootstrapServers: String, groupID: String) {
        self.bootstrapServers = bootstrapServers
        self.groupID = groupID
    }

    /// The two properties at-least-once delivery depends on; see ``properties``.
    static let enforcedProperties: [(String, String)] = [
        ("enable.auto.commit", "false"),
        ("enable.auto.offset.store", "false"),
    ]

    /// Everything as librdkafka key/value pairs, in the order they must be applied.
    var librdkafkaProperties: [(String, String)] {
        var result: [(String, String)] = [
            ("bootstrap.servers", bootstrapServers),
            ("group.id", groupID),
            ("auto.offset.reset", autoOffsetReset.rawValue),
        ]
        if let sessionTimeout {
            result.append(("session.timeout.ms", String(sessionTimeout.wholeMilliseconds)))
        }
        // Sorted so that a misconfiguration always fails on the same property.
        result += properties.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        result += Self.enforcedProperties
        return result
    }
}
