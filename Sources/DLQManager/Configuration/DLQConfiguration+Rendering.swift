import DLQCore

extension DLQConfiguration {
    /// The effective configuration as YAML with each value's origin in a comment, secrets redacted. The
    /// output is valid input for `--config`, except that redacted secrets must still come from elsewhere.
    public func renderedYAML() -> String {
        func origin(_ key: String) -> String {
            origins[key].map { "  # \($0.rawValue)" } ?? ""
        }
        func quoted(_ value: String) -> String {
            YAMLText.quoted(value)
        }
        func comment(_ text: String) -> String {
            YAMLText.comment(text)
        }
        func list(_ values: [String]) -> String {
            "[" + values.map(quoted).joined(separator: ", ") + "]"
        }
        var lines = [
            "database:",
            "  url: \(quoted(database.url))\(origin("database.url"))",
            "  # password: \(database.password.map { "\($0)" } ?? "(none)")\(origin("database.password"))",
            "  migrations_dir: \(database.migrationsDirectory.map(quoted) ?? "~")\(origin("database.migrations_dir"))",
            "kafka:",
            "  bootstrap_servers: \(quoted(kafka.bootstrapServers))\(origin("kafka.bootstrap_servers"))",
            "  group_id: \(quoted(kafka.groupID))\(origin("kafka.group_id"))",
            "  topics: \(list(kafka.topics))\(origin("kafka.topics"))",
            "  auto_offset_reset: \(kafka.autoOffsetReset)\(origin("kafka.auto_offset_reset"))",
            "  properties:" + (kafka.properties.isEmpty ? " {}" : ""),
        ]
        lines += kafka.properties.sorted { $0.key < $1.key }.flatMap { YAMLText.entry(key: $0.key, value: quoted($0.value), indent: "    ") }
        lines += kafka.secretProperties.keys.sorted().map { "    # \(comment($0)): <redacted>" }
        lines += [
            "ingest:",
            "  batch_size: \(ingest.batchSize)\(origin("ingest.batch_size"))",
            "  poll_timeout_ms: \(ingest.pollTimeout.milliseconds)\(origin("ingest.poll_timeout_ms"))",
            "  retry_initial_ms: \(ingest.retryInitial.milliseconds)\(origin("ingest.retry_initial_ms"))",
            "  retry_max_ms: \(ingest.retryMaximum.milliseconds)\(origin("ingest.retry_max_ms"))",
            "  max_record_bytes: \(ingest.recordSizeLimit.maxBytes)\(origin("ingest.max_record_bytes"))",
            "replay:",
            "  max_replays: \(replay.maxReplays)\(origin("replay.max_replays"))",
            "  batch_size: \(replay.batchSize)\(origin("replay.batch_size"))",
            "  auto_interval_ms: \(replay.autoInterval.milliseconds)\(origin("replay.auto_interval_ms"))",
            "http:",
            "  address: \(http.addressText.map(quoted) ?? "off")\(origin("http.address"))",
            "  refresh_interval_ms: \(http.refreshInterval.milliseconds)\(origin("http.refresh_interval_ms"))",
            "lag:",
            "  # \(lag.groups.count) watched group(s): " + comment(lag.groups.map { "\($0.group) on \($0.topics.joined(separator: ","))" }.joined(separator: "; ")),
            "  interval_ms: \(lag.interval.milliseconds)\(origin("lag.interval_ms"))",
            "decoding:",
            "  original_topic_suffixes: \(list(originalTopicSuffixes))\(origin("decoding.original_topic_suffixes"))",
            "log:",
            "  level: \(logLevel.rawValue)\(origin("log.level"))",
            "classification:",
            "  # \(classifier.rules.count) rule(s): " + comment(classifier.rules.map { "\($0.name) -> \($0.classification.errorClass)/\($0.classification.severity.rawValue)/\($0.classification.action.rawValue)" }.joined(separator: ", ")),
            "  # default: \(comment(classifier.defaultClassification.errorClass))/\(classifier.defaultClassification.severity.rawValue)/\(classifier.defaultClassification.action.rawValue)",
            "alerting:",
            "  group_wait_ms: \(alerting.groupWait.milliseconds)\(origin("alerting.group_wait_ms"))",
            "  repeat_interval_ms: \(alerting.repeatInterval.milliseconds)\(origin("alerting.repeat_interval_ms"))",
            "  max_age_ms: \(alerting.maxAge.milliseconds)\(origin("alerting.max_age_ms"))",
            "  timeout_ms: \(alerting.timeout.milliseconds)\(origin("alerting.timeout_ms"))",
            "  retry_initial_ms: \(alerting.retryInitial.milliseconds)\(origin("alerting.retry_initial_ms"))",
            "  retry_max_ms: \(alerting.retryMaximum.milliseconds)\(origin("alerting.retry_max_ms"))",
            "  poll_interval_ms: \(alerting.pollInterval.milliseconds)\(origin("alerting.poll_interval_ms"))",
            "  redact_fields: \(list(alerting.redactFields))\(origin("alerting.redact_fields"))",
            "  redact_headers: \(list(alerting.redactHeaders))\(origin("alerting.redact_headers"))",
            "  # sinks: " + (alerting.sinks.isEmpty ? "none (no alerts are sent)" : comment(alerting.sinks.map { "\($0.name) (\($0.type.rawValue)\($0.url.map { ", \($0)" } ?? "")\($0.secret == nil ? "" : ", secret <redacted>"))" }.joined(separator: ", "))),
            "  # routes: \(alerting.routes.count)" + (alerting.routes.isEmpty ? " (every sink gets every page and notify)" : ""),
            "retention:",
            "  purge_after: \(retention.purgeAfter.map { quoted($0.description) } ?? "~")\(origin("retention.purge_after"))",
            "  interval: \(quoted(Age(seconds: retention.interval.components.seconds)?.description ?? "\(retention.interval)"))\(origin("retention.interval"))",
        ]
        return lines.joined(separator: "\n")
    }
}
