import ArgumentParser
import DLQManager
import Foundation
import Logging

/// Options every command that reads the configuration accepts.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("YAML configuration file (default: $DLQ_CONFIG).", valueName: "path"))
    var config: String?

    @Option(name: .customLong("set"), help: ArgumentHelp(
        "Override one key, e.g. --set ingest.batch_size=2000. Repeatable.",
        valueName: "key=value"
    ))
    var overrides: [String] = []

    @Option(name: .long, help: ArgumentHelp("PostgreSQL URL (database.url), without the password.", valueName: "url"))
    var databaseURL: String?

    @Option(name: .long, help: ArgumentHelp("Kafka bootstrap servers (kafka.bootstrap_servers).", valueName: "host:port,..."))
    var bootstrapServers: String?

    @Option(name: .long, help: ArgumentHelp("Log level (log.level): trace, debug, info, notice, warning, error.", valueName: "level"))
    var logLevel: String?

    /// Loads the configuration, exiting with code 2 and the offending key when a value is bad.
    func load(extra: [String: String] = [:]) throws -> DLQConfiguration {
        var commandLine = extra
        commandLine["database.url"] = databaseURL
        commandLine["kafka.bootstrap_servers"] = bootstrapServers
        commandLine["log.level"] = logLevel
        for override in overrides {
            guard let equals = override.firstIndex(of: "=") else {
                throw ValidationError("--set takes key=value, got \"\(override)\"")
            }
            commandLine[String(override[..<equals])] = String(override[override.index(after: equals)...])
        }
        do {
            let configuration = try DLQConfiguration.load(
                filePath: config ?? ProcessInfo.processInfo.environment["DLQ_CONFIG"],
                overrides: commandLine
            )
            bootstrapLogging(level: configuration.logLevel)
            return configuration
        } catch let error as ConfigurationError {
            printError(error.description)
            throw ExitCode(2)
        }
    }
}
