/// One key the configuration understands. The list of these is the schema: a key in the file that is not
/// listed is refused, so a typo cannot silently fall back to a default.
struct ConfigurationKey: Sendable {
    enum Shape: Sendable {
        case scalar
        /// A YAML sequence; from the environment or command line, a comma-separated string.
        case list
        /// A YAML mapping of strings; only from the file.
        case map
        /// Structured YAML (lists of rules, routes, sinks); only from the file.
        case tree
    }

    var name: String
    var shape: Shape
    /// Secret values never come from the configuration file, which is typically committed.
    var isSecret = false

    /// `ingest.batch_size` → `DLQ_INGEST_BATCH_SIZE`.
    var environmentName: String {
        "DLQ_" + name.uppercased().replacingOccurrences(of: ".", with: "_")
    }

    static let all: [ConfigurationKey] = [
        .init(name: "database.url", shape: .scalar),
        .init(name: "database.password", shape: .scalar, isSecret: true),
        .init(name: "database.password_file", shape: .scalar),
        .init(name: "database.migrations_dir", shape: .scalar),
        .init(name: "kafka.bootstrap_servers", shape: .scalar),
        .init(name: "kafka.group_id", shape: .scalar),
        .init(name: "kafka.topics", shape: .list),
        .init(name: "kafka.auto_offset_reset", shape: .scalar),
        .init(name: "kafka.properties", shape: .map),
        .init(name: "kafka.secret_property_files", shape: .map),
        .init(name: "ingest.batch_size", shape: .scalar),
        .init(name: "ingest.poll_timeout_ms", shape: .scalar),
        .init(name: "ingest.retry_initial_ms", shape: .scalar),
        .init(name: "ingest.retry_max_ms", shape: .scalar),
        .init(name: "ingest.max_record_bytes", shape: .scalar),
        .init(name: "replay.max_replays", shape: .scalar),
        .init(name: "replay.batch_size", shape: .scalar),
        .init(name: "replay.auto_interval_ms", shape: .scalar),
        .init(name: "http.address", shape: .scalar),
        .init(name: "http.refresh_interval_ms", shape: .scalar),
        .init(name: "lag.groups", shape: .tree),
        .init(name: "lag.interval_ms", shape: .scalar),
        .init(name: "decoding.original_topic_suffixes", shape: .list),
        .init(name: "log.level", shape: .scalar),
        .init(name: "classification.rules", shape: .tree),
        .init(name: "classification.default", shape: .tree),
        .init(name: "alerting.group_wait_ms", shape: .scalar),
        .init(name: "alerting.repeat_interval_ms", shape: .scalar),
        .init(name: "alerting.max_age_ms", shape: .scalar),
        .init(name: "alerting.timeout_ms", shape: .scalar),
        .init(name: "alerting.poll_interval_ms", shape: .scalar),
        .init(name: "alerting.retry_initial_ms", shape: .scalar),
        .init(name: "alerting.retry_max_ms", shape: .scalar),
        .init(name: "alerting.redact_fields", shape: .list),
        .init(name: "alerting.redact_headers", shape: .list),
        .init(name: "alerting.sinks", shape: .tree),
        .init(name: "alerting.routes", shape: .tree),
        .init(name: "retention.purge_after", shape: .scalar),
        .init(name: "retention.interval", shape: .scalar),
    ]

    static func named(_ name: String) -> ConfigurationKey? {
        all.first { $0.name == name }
    }
}
