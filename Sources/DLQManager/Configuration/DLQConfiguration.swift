import Foundation
import DLQCore
import Logging

/// The effective configuration of every `dlq` command: defaults, then the YAML file, then `DLQ_*` environment
/// variables, then command-line overrides, each later source winning. Secrets come only from the environment
/// or from files.
public struct DLQConfiguration: Sendable {
    public var database: DatabaseSettings
    public var kafka: KafkaSettings
    public var ingest: IngestSettings
    public var replay: ReplaySettings
    public var http: HTTPSettings
    public var lag: LagSettings
    /// The `auto-replay` rules, with their cooldown and attempt limit.
    public var autoReplay: [AutoReplayPolicy]
    /// Suffixes stripped from a DLQ topic's name to find the original topic when the record does not say.
    public var originalTopicSuffixes: [String]
    public var logLevel: Logger.Level
    public var classifier: Classifier
    public var alerting: AlertingSettings
    public var retention: RetentionSettings
    /// Where each value came from, by dotted key, for `dlq config check`.
    public private(set) var origins: [String: ConfigurationOrigin] = [:]

    /// Loads and validates; throws `ConfigurationError` naming the first bad key.
    ///
    /// - Parameters:
    ///   - filePath: the YAML file; nil to use defaults and the environment only.
    ///   - environment: usually `ProcessInfo.processInfo.environment`.
    ///   - overrides: dotted key to value, from the command line.
    public static func load(
        filePath: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        overrides: [String: String] = [:]
    ) throws -> DLQConfiguration {
        var contents: String?
        if let filePath {
            do {
                contents = try String(contentsOfFile: filePath, encoding: .utf8)
            } catch {
                throw ConfigurationError(key: "(file)", problem: "cannot read \(filePath): \(error.localizedDescription)")
            }
        }
        return try load(fileContents: contents, environment: environment, overrides: overrides)
    }

    /// ``load(filePath:environment:overrides:)`` for a YAML file's text already read (nil for no file).
    public static func load(
        fileContents contents: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        overrides: [String: String] = [:]
    ) throws -> DLQConfiguration {
        let values = try ConfigurationValues(fileContents: contents, environment: environment, commandLine: overrides)
        var reader = Reader(values: values)
        return try DLQConfiguration(reader: &reader, environment: environment)
    }

    private init(reader: inout Reader, environment: [String: String]) throws {
        let passwordFile = reader.string("database.password_file")
        database = DatabaseSettings(
            url: reader.string("database.url", default: "postgresql://postgres@127.0.0.1:5432/dlq"),
            password: try Self.secret(
                environment: environment["DLQ_DATABASE_PASSWORD"],
                file: passwordFile,
                fileKey: "database.password_file"
            ),
            migrationsDirectory: reader.string("database.migrations_dir")
        )
        if environment["DLQ_DATABASE_PASSWORD"] != nil {
            reader.origins["database.password"] = .environment
        } else if passwordFile != nil {
            reader.origins["database.password"] = .file
        }

        let properties = reader.values.map("kafka.properties")
        for name in properties.keys where Self.looksSecret(name) {
            throw ConfigurationError(
                key: "kafka.properties.\(name)",
                problem: "secret values are never read from the configuration file; set "
                    + "DLQ_KAFKA_SECRET_\(name.uppercased().replacingOccurrences(of: ".", with: "_")) "
                    + "or name a file under kafka.secret_property_files"
            )
        }
        var secretProperties: [String: Secret] = [:]
        for (name, path) in reader.values.map("kafka.secret_property_files") {
            secretProperties[name] = try Self.secret(environment: nil, file: path, fileKey: "kafka.secret_property_files.\(name)")
        }
        for (variable, value) in environment where variable.hasPrefix("DLQ_KAFKA_SECRET_") {
            let name = variable.dropFirst("DLQ_KAFKA_SECRET_".count).lowercased().replacingOccurrences(of: "_", with: ".")
            secretProperties[name] = Secret(value)
        }
        let autoOffsetReset = reader.string("kafka.auto_offset_reset", default: "earliest")
        guard ["earliest", "latest"].contains(autoOffsetReset) else {
            throw ConfigurationError(key: "kafka.auto_offset_reset", problem: "expected earliest or latest, got \"\(autoOffsetReset)\"")
        }
        kafka = KafkaSettings(
            bootstrapServers: reader.string("kafka.bootstrap_servers", default: "127.0.0.1:9092"),
            groupID: reader.string("kafka.group_id", default: "dlq-manager"),
            topics: reader.list("kafka.topics", default: []),
            autoOffsetReset: autoOffsetReset,
            properties: properties,
            secretProperties: secretProperties
        )

        ingest = IngestSettings(
            batchSize: try reader.integer("ingest.batch_size", default: 2000, in: 1...100_000),
            pollTimeout: .milliseconds(try reader.integer("ingest.poll_timeout_ms", default: 500, in: 1...60_000)),
            retryInitial: .milliseconds(try reader.integer("ingest.retry_initial_ms", default: 500, in: 1...600_000)),
            retryMaximum: .milliseconds(try reader.integer("ingest.retry_max_ms", default: 30_000, in: 1...3_600_000)),
            recordSizeLimit: RecordSizeLimit(maxBytes: try reader.integer(
                "ingest.max_record_bytes", default: 16 * 1024 * 1024, in: RecordSizeLimit.excerptBytes...(512 * 1024 * 1024)))
        )
        replay = ReplaySettings(
            maxReplays: try reader.integer("replay.max_replays", default: 3, in: 1...1000),
            batchSize: try reader.integer("replay.batch_size", default: 2000, in: 1...100_000),
            autoInterval: .milliseconds(try reader.integer("replay.auto_interval_ms", default: 10_000, in: 100...3_600_000))
        )
        let address = try HTTPSettings.address(reader.string("http.address", default: "127.0.0.1:9477"))
        http = HTTPSettings(
            host: address.host, port: address.port,
            refreshInterval: .milliseconds(try reader.integer("http.refresh_interval_ms", default: 15_000, in: 100...3_600_000))
        )
        lag = LagSettings(
            groups: try LagSettings.groups(reader.values.tree("lag.groups")),
            interval: .milliseconds(try reader.integer("lag.interval_ms", default: 15_000, in: 100...3_600_000))
        )
        originalTopicSuffixes = reader.list("decoding.original_topic_suffixes", default: [".dlq", "-dlq", ".DLT", "-dlt"])

        let level = reader.string("log.level", default: "info")
        guard let logLevel = Logger.Level(rawValue: level) else {
            let levels = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
            throw ConfigurationError(key: "log.level", problem: "expected one of \(levels), got \"\(level)\"")
        }
        self.logLevel = logLevel

        (classifier, autoReplay) = try ClassificationSettings.classifier(
            rules: reader.values.tree("classification.rules"),
            default: reader.values.tree("classification.default")
        )
        let sinks = try AlertingSettings.sinks(reader.values.tree("alerting.sinks"), environment: environment)
        alerting = AlertingSettings(
            groupWait: .milliseconds(try reader.integer("alerting.group_wait_ms", default: 30_000, in: 0...86_400_000)),
            repeatInterval: .milliseconds(try reader.integer("alerting.repeat_interval_ms", default: 3_600_000, in: 0...604_800_000)),
            maxAge: .milliseconds(try reader.integer("alerting.max_age_ms", default: 86_400_000, in: 1000...2_592_000_000)),
            timeout: .milliseconds(try reader.integer("alerting.timeout_ms", default: 10_000, in: 100...300_000)),
            pollInterval: .milliseconds(try reader.integer("alerting.poll_interval_ms", default: 1000, in: 10...600_000)),
            retryInitial: .milliseconds(try reader.integer("alerting.retry_initial_ms", default: 1000, in: 10...600_000)),
            retryMaximum: .milliseconds(try reader.integer("alerting.retry_max_ms", default: 300_000, in: 10...3_600_000)),
            redactFields: reader.list("alerting.redact_fields", default: []),
            redactHeaders: reader.list("alerting.redact_headers", default: ["authorization", "cookie", "x-api-key"]),
            sinks: sinks,
            routes: try AlertingSettings.routes(reader.values.tree("alerting.routes"), sinkNames: Set(sinks.map(\.name)))
        )
        let purgeAfter = try reader.age("retention.purge_after")
        let interval = try reader.age("retention.interval") ?? Age(seconds: 3600)
        guard let interval, interval.seconds > 0 else {
            throw ConfigurationError(key: "retention.interval", problem: "expected a duration above zero, like 1h")
        }
        retention = RetentionSettings(purgeAfter: purgeAfter, interval: interval.duration)
        origins = reader.origins
    }

    /// librdkafka's own names for secret properties all say so.
    private static func looksSecret(_ property: String) -> Bool {
        let name = property.lowercased()
        return name.contains("password") || name.contains("secret") || name.hasSuffix(".key.pem")
    }

    private static func secret(environment value: String?, file: String?, fileKey: String) throws -> Secret? {
        if let value { return Secret(value) }
        guard let file else { return nil }
        do {
            let contents = try String(contentsOfFile: file, encoding: .utf8)
            // Files written by `echo` or secret managers often end in a newline that is not part of the secret.
            return Secret(String(contents.trimmingCharacters(in: .newlines)))
        } catch {
            throw ConfigurationError(key: fileKey, problem: "cannot read secret file \(file): \(error.localizedDescription)")
        }
    }

    /// Typed reads over the layered values, remembering where each value came from.
    private struct Reader {
        let values: ConfigurationValues
        var origins: [String: ConfigurationOrigin] = [:]

        mutating func string(_ key: String) -> String? {
            guard let (value, origin) = values.scalar(key) else { return nil }
            origins[key] = origin
            return value
        }

        mutating func string(_ key: String, default defaultValue: String) -> String {
            if let value = string(key) { return value }
            origins[key] = .defaultValue
            return defaultValue
        }

        mutating func list(_ key: String, default defaultValue: [String]) -> [String] {
            guard let (value, origin) = values.list(key) else {
                origins[key] = .defaultValue
                return defaultValue
            }
            origins[key] = origin
            return value
        }

        /// A duration written as an age (`30d`, `12h`); nil when the key is not set.
        mutating func age(_ key: String) throws -> Age? {
            guard let text = string(key) else {
                origins[key] = .defaultValue
                return nil
            }
            guard let age = Age(parsing: text.trimmingCharacters(in: .whitespaces)) else {
                throw ConfigurationError(key: key, problem: "expected a duration like 90s, 15m, 12h or 30d, got \"\(text)\"")
            }
            return age
        }

        mutating func integer(_ key: String, default defaultValue: Int, in range: ClosedRange<Int>) throws -> Int {
            guard let text = string(key) else {
                origins[key] = .defaultValue
                return defaultValue
            }
            guard let value = Int(text.trimmingCharacters(in: .whitespaces)), range.contains(value) else {
                throw ConfigurationError(
                    key: key,
                    problem: "expected a whole number from \(range.lowerBound) to \(range.upperBound), got \"\(text)\""
                )
            }
            return value
        }
    }
}
