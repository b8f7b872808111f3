import DLQCore

/// The classification rules from `classification.rules` and `classification.default`, compiled.
enum ClassificationSettings {
    /// The classifier, and the auto-replay policies of the rules whose action is `auto-replay`.
    static func classifier(
        rules: ConfigurationTree?,
        default defaultTree: ConfigurationTree?
    ) throws -> (Classifier, [AutoReplayPolicy]) {
        var compiled: [ClassificationRule] = []
        var autoReplay: [AutoReplayPolicy] = []
        for (index, item) in try rulesList(rules).enumerated() {
            let path = "classification.rules[\(index)]"
            let rule = try ConfigurationTreeReader(
                item, path: path, allowedKeys: ["name", "match", "class", "severity", "action", "cooldown", "max_attempts"])
            let name = try rule.requiredString("name")
            var match = RuleMatch()
            if let matchTree = rule.value("match") {
                let reader = try ConfigurationTreeReader(
                    matchTree,
                    path: "\(path).match",
                    allowedKeys: ["exception_class", "message", "dlq_topic", "original_topic", "consumer_group", "headers"]
                )
                match = RuleMatch(
                    exceptionClass: try reader.string("exception_class"),
                    message: try reader.string("message"),
                    dlqTopic: try reader.string("dlq_topic"),
                    originalTopic: try reader.string("original_topic"),
                    consumerGroup: try reader.string("consumer_group"),
                    headers: try reader.stringMap("headers")
                )
            }
            let action = try action(rule, path: path)
            if let policy = try autoReplayPolicy(rule, name: name, action: action, path: path) {
                autoReplay.append(policy)
            }
            do {
                compiled.append(try ClassificationRule(
                    name: name,
                    match: match,
                    errorClass: try rule.requiredString("class"),
                    severity: try severity(rule, path: path),
                    action: action
                ))
            } catch let error as ClassificationRuleError {
                throw ConfigurationError(key: "\(path).match.\(error.field)", problem: error.description)
            }
        }
        guard let defaultTree else { return (Classifier(rules: compiled), autoReplay) }
        let reader = try ConfigurationTreeReader(defaultTree, path: "classification.default", allowedKeys: ["class", "severity", "action"])
        let defaultAction = try action(reader, path: "classification.default")
        guard defaultAction != .autoReplay else {
            // Replaying every unclassified failure automatically is never what anyone means.
            throw ConfigurationError(key: "classification.default.action", problem: "auto-replay needs a rule that says which failures pass on their own")
        }
        return (Classifier(rules: compiled, defaultClassification: Classification(
            errorClass: try reader.string("class") ?? "unclassified",
            severity: try severity(reader, path: "classification.default"),
            action: defaultAction,
            ruleName: "default"
        )), autoReplay)
    }

    /// `cooldown` (an age like `10m`, default 5m) and `max_attempts` (default 3) of an `auto-replay` rule; other
    /// actions refuse them, since they would silently do nothing.
    private static func autoReplayPolicy(
        _ rule: ConfigurationTreeReader,
        name: String,
        action: FailureAction,
        path: String
    ) throws -> AutoReplayPolicy? {
        let cooldownText = try rule.string("cooldown")
        let attemptsText = try rule.string("max_attempts")
        guard action == .autoReplay else {
            if cooldownText != nil || attemptsText != nil {
                throw ConfigurationError(key: "\(path).\(cooldownText != nil ? "cooldown" : "max_attempts")", problem: "only an auto-replay rule has one")
            }
            return nil
        }
        guard let cooldown = Age(parsing: cooldownText ?? "5m") else {
            throw ConfigurationError(key: "\(path).cooldown", problem: "expected an age like 90s, 10m or 2h, got \"\(cooldownText ?? "")\"")
        }
        guard let attempts = Int(attemptsText ?? "3"), (1...100).contains(attempts) else {
            throw ConfigurationError(key: "\(path).max_attempts", problem: "expected a number from 1 to 100, got \"\(attemptsText ?? "")\"")
        }
        return AutoReplayPolicy(ruleName: name, cooldown: .seconds(cooldown.seconds), maxAttempts: attempts)
    }

    private static func rulesList(_ tree: ConfigurationTree?) throws -> [ConfigurationTree] {
        switch tree {
        case nil, .null?: return []
        case .list(let items)?: return items
        default: throw ConfigurationError(key: "classification.rules", problem: "expected a list of rules")
        }
    }

    private static func severity(_ reader: ConfigurationTreeReader, path: String) throws -> Severity {
        let text = try reader.string("severity") ?? "error"
        guard let severity = Severity(rawValue: text) else {
            throw ConfigurationError(key: "\(path).severity", problem: "expected one of \(Severity.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(text)\"")
        }
        return severity
    }

    private static func action(_ reader: ConfigurationTreeReader, path: String) throws -> FailureAction {
        let text = try reader.string("action") ?? "page"
        guard let action = FailureAction(rawValue: text) else {
            throw ConfigurationError(key: "\(path).action", problem: "expected one of \(FailureAction.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(text)\"")
        }
        return action
    }
}
