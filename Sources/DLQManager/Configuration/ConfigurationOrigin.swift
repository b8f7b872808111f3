/// Where an effective configuration value came from, shown by `dlq config check`.
public enum ConfigurationOrigin: String, Sendable {
    case defaultValue = "default"
    case file
    case environment
    case commandLine = "command line"
}
