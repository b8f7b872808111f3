import ArgumentParser
import DLQManager

/// `dlq config`: inspect the effective configuration.
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Inspect the configuration.",
        subcommands: [Check.self]
    )

    /// `dlq config check`: validate and print what every command would use.
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate the configuration and print the effective values, secrets redacted.",
            discussion: """
                Each value is followed by where it came from (default, file, environment, command line).
                Exits 2 naming the key when a value is invalid, so it can gate a deployment.
                """
        )

        @OptionGroup var options: ConfigOptions

        func run() async throws {
            print(try options.load().renderedYAML())
        }
    }
}
