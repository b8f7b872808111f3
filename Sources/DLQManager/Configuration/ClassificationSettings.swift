import DLQCore

/// The classification rules from `classification.rules` and `classification.default`, compiled.
enum ClassificationSettings {
    static func classifier(rules: ConfigurationTree?, default defaultTree: ConfigurationTree?) throws -> Classifier {
        var compiled: [ClassificationRule] = []
        for (index, item) in try rulesList(rules).enumerated() {
            let path = "classification.rules[\(index)]"
            let rule = try ConfigurationTreeReader(item, path: path, allowedKeys: ["name", "match", "class", "severity", "action"])
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
            do {
                compiled.append(try ClassificationRule(
                    name: name,
                    match: match,
                    errorClass: try rule.requiredString("class"),
                    severity: try severity(rule, path: path),
                    action: try action(rule, path: path)
                ))
            } catch let error as ClassificationRuleError {
                throw ConfigurationError(key: "\(path).match.\(error.field)", problem: error.description)
            }
        }
        guard let defaultTree else { return Classifier(rules: compiled) }
        let reader = try ConfigurationTreeReader(defaultTree, path: "classification.default", allowedKeys: ["class", "severity", "action"])
        return Classifier(rules: compiled, defaultClassification: Classification(
            errorClass: try reader.string("class") ?? "unclassified",
            severity: try severity(reader, path: "classification.default"),
            action: try action(reader, path: "classification.default"),
            ruleName: "default"
        ))
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
