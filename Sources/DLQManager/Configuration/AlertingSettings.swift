import DLQCore
import Foundation

/// How arrivals become alerts: grouping intervals, delivery limits, redaction, sinks and routes.
public struct AlertingSettings: Sendable {
    /// How long a group's first alert waits so that a burst becomes one alert.
    public var groupWait: Duration
    /// How long after an alert further arrivals of the same group wait before they are announced again.
    public var repeatInterval: Duration
    /// A delivery still failing after this long is given up and recorded.
    public var maxAge: Duration
    /// Per HTTP request.
    public var timeout: Duration
    /// How often the dispatcher looks for due work when no notification woke it.
    public var pollInterval: Duration
    /// Backoff between delivery attempts: first wait, doubling up to the maximum (with jitter).
    public var retryInitial: Duration
    public var retryMaximum: Duration
    public var redactFields: [String]
    public var redactHeaders: [String]
    public var sinks: [SinkSettings]
    public var routes: [AlertRoute]

    /// What every payload has removed before it leaves the process.
    public var redaction: AlertRedaction {
        AlertRedaction(fields: redactFields, headers: redactHeaders)
    }

    /// The sinks an alert about this group goes to. Without routes, every sink gets every page and notify.
    public func sinkNames(severity: Severity, errorClass: String, action: FailureAction, dlqTopic: String?, originalTopic: String?) -> [String] {
        guard action != .ignore else { return [] }
        guard !routes.isEmpty else { return sinks.map(\.name) }
        let route = routes.first { $0.matches(severity: severity, errorClass: errorClass, action: action, dlqTopic: dlqTopic, originalTopic: originalTopic) }
        return route?.sinks ?? []
    }

    /// The secret each sink type needs, and the key it is configured under.
    private static func secretName(of type: SinkSettings.SinkType) -> String? {
        switch type {
        case .pagerduty: "routing_key"
        case .slack: "webhook_url"
        case .webhook: "hmac_key"
        case .alertmanager: nil
        }
    }

    static func sinks(_ tree: ConfigurationTree?, environment: [String: String]) throws -> [SinkSettings] {
        guard let tree else { return [] }
        guard case .list(let items) = tree else {
            throw ConfigurationError(key: "alerting.sinks", problem: "expected a list of sinks")
        }
        var names: Set<String> = []
        return try items.enumerated().map { index, item in
            let path = "alerting.sinks[\(index)]"
            let reader = try ConfigurationTreeReader(item, path: path, allowedKeys: [
                "name", "type", "url", "source", "rate_limit_per_minute",
                "routing_key", "routing_key_env", "routing_key_file",
                "webhook_url", "webhook_url_env", "webhook_url_file",
                "hmac_key", "hmac_key_env", "hmac_key_file",
            ])
            let name = try reader.requiredString("name")
            guard names.insert(name).inserted else {
                throw ConfigurationError(key: "\(path).name", problem: "another sink is already named \"\(name)\"")
            }
            let typeText = try reader.requiredString("type")
            guard let type = SinkSettings.SinkType(rawValue: typeText) else {
                throw ConfigurationError(key: "\(path).type", problem: "expected one of \(SinkSettings.SinkType.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(typeText)\"")
            }
            var secret: Secret?
            if let secretName = secretName(of: type) {
                if try reader.string(secretName) != nil {
                    throw ConfigurationError(
                        key: "\(path).\(secretName)",
                        problem: "secrets are never read from the configuration file; use \(secretName)_env (a variable name) or \(secretName)_file"
                    )
                }
                if let variable = try reader.string("\(secretName)_env") {
                    guard let value = environment[variable] else {
                        throw ConfigurationError(key: "\(path).\(secretName)_env", problem: "the environment variable \(variable) is not set")
                    }
                    secret = Secret(value)
                } else if let file = try reader.string("\(secretName)_file") {
                    do {
                        secret = Secret(try String(contentsOfFile: file, encoding: .utf8).trimmingCharacters(in: .newlines))
                    } catch {
                        throw ConfigurationError(key: "\(path).\(secretName)_file", problem: "cannot read \(file): \(error.localizedDescription)")
                    }
                }
            }
            return SinkSettings(
                name: name,
                type: type,
                url: try reader.string("url"),
                secret: secret,
                source: try reader.string("source") ?? (ProcessInfo.processInfo.hostName),
                rateLimitPerMinute: try reader.integer("rate_limit_per_minute", default: 60, in: 1...100_000)
            )
        }
    }

    static func routes(_ tree: ConfigurationTree?, sinkNames: Set<String>) throws -> [AlertRoute] {
        guard let tree else { return [] }
        guard case .list(let items) = tree else {
            throw ConfigurationError(key: "alerting.routes", problem: "expected a list of routes")
        }
        return try items.enumerated().map { index, item in
            let path = "alerting.routes[\(index)]"
            let reader = try ConfigurationTreeReader(item, path: path, allowedKeys: ["match", "sinks"])
            let sinks = try reader.strings("sinks")
            for sink in sinks where !sinkNames.contains(sink) {
                throw ConfigurationError(key: "\(path).sinks", problem: "no sink is named \"\(sink)\"")
            }
            var route = AlertRoute(severities: [], errorClasses: [], actions: [], sinks: sinks)
            guard let matchTree = reader.value("match") else { return route }
            let match = try ConfigurationTreeReader(
                matchTree,
                path: "\(path).match",
                allowedKeys: ["severity", "class", "action", "dlq_topic", "original_topic"]
            )
            route.severities = Set(try match.strings("severity").map { text in
                guard let severity = Severity(rawValue: text) else {
                    throw ConfigurationError(key: "\(path).match.severity", problem: "unknown severity \"\(text)\"")
                }
                return severity
            })
            route.errorClasses = Set(try match.strings("class"))
            route.actions = Set(try match.strings("action").map { text in
                guard let action = FailureAction(rawValue: text) else {
                    throw ConfigurationError(key: "\(path).match.action", problem: "unknown action \"\(text)\"")
                }
                return action
            })
            route.dlqTopic = try regex(match.string("dlq_topic"), key: "\(path).match.dlq_topic")
            route.originalTopic = try regex(match.string("original_topic"), key: "\(path).match.original_topic")
            return route
        }
    }

    private static func regex(_ pattern: String?, key: String) throws -> NSRegularExpression? {
        guard let pattern else { return nil }
        do {
            return try NSRegularExpression(pattern: pattern)
        } catch {
            throw ConfigurationError(key: key, problem: "not a valid regular expression: \(pattern)")
        }
    }
}
