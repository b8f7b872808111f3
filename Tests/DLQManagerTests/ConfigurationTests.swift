import DLQCore
import DLQManager
import Foundation
import Testing

@Suite("Configuration")
struct ConfigurationTests {
    private func write(_ yaml: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dlq-\(UUID().uuidString).yaml").path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("without a file every key has its default")
    func defaults() throws {
        let configuration = try DLQConfiguration.load(filePath: nil, environment: [:])
        #expect(configuration.ingest.batchSize == 2000)
        #expect(configuration.kafka.groupID == "dlq-manager")
        #expect(configuration.origins["ingest.batch_size"] == .defaultValue)
    }

    @Test("the command line wins over the environment, which wins over the file")
    func precedence() throws {
        let path = try write("kafka:\n  group_id: from-file\n  bootstrap_servers: file:9092\ningest:\n  batch_size: 10\n")
        let configuration = try DLQConfiguration.load(
            filePath: path,
            environment: ["DLQ_KAFKA_GROUP_ID": "from-env", "DLQ_INGEST_BATCH_SIZE": "20"],
            overrides: ["ingest.batch_size": "30"]
        )
        #expect(configuration.kafka.bootstrapServers == "file:9092")
        #expect(configuration.kafka.groupID == "from-env")
        #expect(configuration.ingest.batchSize == 30)
        #expect(configuration.origins["kafka.group_id"] == .environment)
    }

    @Test("lists come from YAML sequences or comma-separated environment values")
    func lists() throws {
        let path = try write("kafka:\n  topics: [a.dlq, '^b.*']\n")
        #expect(try DLQConfiguration.load(filePath: path, environment: [:]).kafka.topics == ["a.dlq", "^b.*"])
        let fromEnvironment = try DLQConfiguration.load(filePath: path, environment: ["DLQ_KAFKA_TOPICS": "x.dlq, y.dlq"])
        #expect(fromEnvironment.kafka.topics == ["x.dlq", "y.dlq"])
    }

    @Test("a bad value is refused with its key named")
    func badValueNamesKey() throws {
        let path = try write("ingest:\n  batch_size: lots\n")
        let error = #expect(throws: ConfigurationError.self) { try DLQConfiguration.load(filePath: path, environment: [:]) }
        #expect(error?.key == "ingest.batch_size")
        #expect(error?.description.contains("expected a whole number") == true)
    }

    @Test("an unknown key is refused, so a typo cannot fall back to a default")
    func unknownKey() throws {
        let path = try write("ingest:\n  batch_sise: 10\n")
        let error = #expect(throws: ConfigurationError.self) { try DLQConfiguration.load(filePath: path, environment: [:]) }
        #expect(error?.key == "ingest.batch_sise")
    }

    @Test("a password in the file is refused")
    func passwordInFileRefused() throws {
        let path = try write("database:\n  password: hunter2\n")
        let error = #expect(throws: ConfigurationError.self) { try DLQConfiguration.load(filePath: path, environment: [:]) }
        #expect(error?.key == "database.password")
        #expect(error?.description.contains("hunter2") == false)
    }

    @Test("a secret librdkafka property in the file is refused")
    func kafkaSecretInFileRefused() throws {
        let path = try write("kafka:\n  properties:\n    sasl.password: hunter2\n")
        let error = #expect(throws: ConfigurationError.self) { try DLQConfiguration.load(filePath: path, environment: [:]) }
        #expect(error?.key == "kafka.properties.sasl.password")
    }

    @Test("secrets from the environment and files reach librdkafka and libpq but are redacted when printed")
    func secretsRedacted() throws {
        let secretFile = FileManager.default.temporaryDirectory.appendingPathComponent("secret-\(UUID().uuidString)").path
        try "file-secret\n".write(toFile: secretFile, atomically: true, encoding: .utf8)
        let path = try write("kafka:\n  properties:\n    security.protocol: SASL_SSL\n  secret_property_files:\n    ssl.key.password: \(secretFile)\n")
        let configuration = try DLQConfiguration.load(
            filePath: path,
            environment: ["DLQ_DATABASE_PASSWORD": "db-secret", "DLQ_KAFKA_SECRET_SASL_PASSWORD": "sasl-secret"]
        )
        let properties = configuration.kafka.passThroughProperties()
        #expect(properties["sasl.password"] == "sasl-secret")
        #expect(properties["ssl.key.password"] == "file-secret")
        #expect(properties["security.protocol"] == "SASL_SSL")
        #expect(configuration.database.connectionString().contains("password=db-secret"))

        let rendered = configuration.renderedYAML()
        for secret in ["db-secret", "sasl-secret", "file-secret"] {
            #expect(!rendered.contains(secret))
        }
        #expect(rendered.contains("<redacted>"))
    }

    @Test("`dlq config check` exits 2 naming the key of a bad value")
    func configCheckExitCode() async throws {
        let result = try await DLQProcess.run(["config", "check"], environment: ["DLQ_INGEST_BATCH_SIZE": "0"])
        #expect(result.status == 2)
        #expect(result.log.contains("ingest.batch_size"))
    }

    @Test("a rule with a bad regular expression is refused at start, naming the rule and the field")
    func badRuleRegex() throws {
        let path = try write("classification:\n  rules:\n    - name: broken\n      match: {message: 'unclosed (group'}\n      class: bug\n")
        let error = #expect(throws: ConfigurationError.self) { try DLQConfiguration.load(filePath: path, environment: [:]) }
        #expect(error?.key == "classification.rules[0].match.message")
        #expect(error?.description.contains("broken") == true)
    }

    @Test("a sink secret written in the file is refused, and a route naming an unknown sink too")
    func alertingValidation() throws {
        let secretInFile = try write("alerting:\n  sinks:\n    - {name: pd, type: pagerduty, routing_key: abc}\n")
        let secretError = #expect(throws: ConfigurationError.self) { try DLQConfiguration.load(filePath: secretInFile, environment: [:]) }
        #expect(secretError?.key == "alerting.sinks[0].routing_key")
        #expect(secretError?.description.contains("abc") == false)

        let badRoute = try write("alerting:\n  sinks:\n    - {name: am, type: alertmanager, url: 'http://127.0.0.1:9093'}\n  routes:\n    - sinks: [pagerduty]\n")
        let routeError = #expect(throws: ConfigurationError.self) { try DLQConfiguration.load(filePath: badRoute, environment: [:]) }
        #expect(routeError?.key == "alerting.routes[0].sinks")
    }

    @Test("retention is off by default; purge_after and interval read ages, and a bad one is refused by key")
    func retention() throws {
        let defaults = try DLQConfiguration.load(filePath: nil, environment: [:]).retention
        #expect(defaults.purgeAfter == nil)
        #expect(defaults.interval == .seconds(3600))

        let path = try write("retention:\n  purge_after: 30d\n  interval: 15m\n")
        let configured = try DLQConfiguration.load(filePath: path, environment: [:]).retention
        #expect(configured.purgeAfter == Age(seconds: 2_592_000))
        #expect(configured.interval == .seconds(900))

        let bad = try write("retention:\n  purge_after: a month\n")
        let error = #expect(throws: ConfigurationError.self) { try DLQConfiguration.load(filePath: bad, environment: [:]) }
        #expect(error?.key == "retention.purge_after")
    }

    @Test("a section whose every key is commented out sets nothing, rather than being an unknown key")
    func emptySection() throws {
        let path = try write("ingest:\n  # batch_size: 10\nclassification:\n")
        #expect(try DLQConfiguration.load(filePath: path, environment: [:]).ingest.batchSize == 2000)
    }

    @Test("the rendered configuration loads back to the same values, whatever characters they hold")
    func renderingRoundTrip() throws {
        let path = try write(#"""
            kafka:
              properties: {"odd: #key": "bell \a, line\nbreak, tab\t, next line \N"}
            http: {address: "[::1]:9477"}
            lag:
              groups: [{group: "g\nlog: {level: bogus}", topics: [t]}]
            """#)
        let configuration = try DLQConfiguration.load(filePath: path, environment: [:])
        let reloaded = try DLQConfiguration.load(fileContents: configuration.renderedYAML(), environment: [:])
        #expect(reloaded.kafka.properties == configuration.kafka.properties)
        // Bound without the brackets, written with them.
        #expect(reloaded.http.host == "::1" && reloaded.http.port == 9477)
        #expect(reloaded.http.addressText == "[::1]:9477")
        #expect(reloaded.logLevel == configuration.logLevel)
    }

    @Test("a kafka property whose name is longer than YAML allows for a plain key still renders as one that loads back")
    func longPropertyName() throws {
        let name = String(repeating: "k", count: 1100)
        let path = try write("kafka:\n  properties:\n    ? \(name)\n    : v\n")
        let configuration = try DLQConfiguration.load(filePath: path, environment: [:])
        let reloaded = try DLQConfiguration.load(fileContents: configuration.renderedYAML(), environment: [:])
        #expect(reloaded.kafka.properties == [name: "v"])
    }
}
