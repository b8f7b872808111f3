import Yams

/// A structured part of the configuration file (rules, routes, sinks): YAML reduced to what the
/// configuration uses, so it is `Sendable` and its readers give errors naming the key path.
public indirect enum ConfigurationTree: Sendable {
    case scalar(String)
    case list([ConfigurationTree])
    /// Entries in file order.
    case map([(key: String, value: ConfigurationTree)])
    case null

    init(_ node: Node) {
        switch node {
        case .scalar(let scalar):
            self = node.null != nil ? .null : .scalar(scalar.string)
        case .sequence(let sequence):
            self = .list(sequence.map(ConfigurationTree.init))
        case .mapping(let mapping):
            self = .map(mapping.map { (key: $0.key.string ?? "", value: ConfigurationTree($0.value)) })
        case .alias:
            self = .null
        }
    }
}

/// Typed reads from a `ConfigurationTree` mapping, with errors naming `path.key`.
struct ConfigurationTreeReader {
    let path: String
    private let entries: [(key: String, value: ConfigurationTree)]

    init(_ tree: ConfigurationTree, path: String, allowedKeys: Set<String>) throws {
        guard case .map(let entries) = tree else {
            throw ConfigurationError(key: path, problem: "expected a mapping")
        }
        for (key, _) in entries where !allowedKeys.contains(key) {
            throw ConfigurationError(key: "\(path).\(key)", problem: "unknown key; expected one of \(allowedKeys.sorted().joined(separator: ", "))")
        }
        self.path = path
        self.entries = entries
    }

    func value(_ key: String) -> ConfigurationTree? {
        guard let value = entries.last(where: { $0.key == key })?.value else { return nil }
        if case .null = value { return nil }
        return value
    }

    func string(_ key: String) throws -> String? {
        guard let value = value(key) else { return nil }
        guard case .scalar(let text) = value else {
            throw ConfigurationError(key: "\(path).\(key)", problem: "expected a single value")
        }
        return text
    }

    func requiredString(_ key: String) throws -> String {
        guard let text = try string(key), !text.isEmpty else {
            throw ConfigurationError(key: "\(path).\(key)", problem: "required")
        }
        return text
    }

    func integer(_ key: String, default defaultValue: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let text = try string(key) else { return defaultValue }
        guard let number = Int(text), range.contains(number) else {
            throw ConfigurationError(key: "\(path).\(key)", problem: "expected a whole number from \(range.lowerBound) to \(range.upperBound), got \"\(text)\"")
        }
        return number
    }

    /// A list of strings; a single value is a list of one.
    func strings(_ key: String) throws -> [String] {
        switch value(key) {
        case nil: return []
        case .scalar(let text): return [text]
        case .list(let items):
            return try items.map {
                guard case .scalar(let text) = $0 else {
                    throw ConfigurationError(key: "\(path).\(key)", problem: "expected a list of strings")
                }
                return text
            }
        default:
            throw ConfigurationError(key: "\(path).\(key)", problem: "expected a string or a list of strings")
        }
    }

    func stringMap(_ key: String) throws -> [String: String] {
        guard let value = value(key) else { return [:] }
        guard case .map(let entries) = value else {
            throw ConfigurationError(key: "\(path).\(key)", problem: "expected a mapping of names to values")
        }
        var result: [String: String] = [:]
        for (name, entry) in entries {
            guard case .scalar(let text) = entry else {
                throw ConfigurationError(key: "\(path).\(key).\(name)", problem: "expected a single value")
            }
            result[name] = text
        }
        return result
    }

    func items(_ key: String) throws -> [ConfigurationTree] {
        switch value(key) {
        case nil: return []
        case .list(let items): return items
        default: throw ConfigurationError(key: "\(path).\(key)", problem: "expected a list")
        }
    }
}
