import Foundation
import Yams

/// The raw configuration values, layered before they are typed: command line over environment over the YAML
/// file. Defaults are applied by `DLQConfiguration`, which knows the types.
struct ConfigurationValues: Sendable {
    enum Value: Sendable {
        case scalar(String)
        case list([String])
        case map([String: String])
        case tree(ConfigurationTree)
    }

    private var values: [String: (value: Value, origin: ConfigurationOrigin)] = [:]

    /// - Parameters:
    ///   - fileContents: the YAML file's text, if a file was given.
    ///   - environment: the process environment; only `DLQ_*` names are read.
    ///   - commandLine: `key=value` overrides by dotted key.
    init(fileContents: String?, environment: [String: String], commandLine: [String: String]) throws {
        if let fileContents {
            try readFile(fileContents)
        }
        for key in ConfigurationKey.all where key.shape != .map && key.shape != .tree {
            if let text = environment[key.environmentName] {
                values[key.name] = (Self.value(text, shape: key.shape), .environment)
            }
        }
        for (name, text) in commandLine {
            guard let key = ConfigurationKey.named(name), key.shape != .map, key.shape != .tree else {
                throw ConfigurationError(key: name, problem: "not a configuration key that can be set on the command line")
            }
            values[key.name] = (Self.value(text, shape: key.shape), .commandLine)
        }
    }

    func scalar(_ name: String) -> (String, ConfigurationOrigin)? {
        guard let (value, origin) = values[name], case .scalar(let text) = value else { return nil }
        return (text, origin)
    }

    func list(_ name: String) -> ([String], ConfigurationOrigin)? {
        guard let (value, origin) = values[name], case .list(let items) = value else { return nil }
        return (items, origin)
    }

    func map(_ name: String) -> [String: String] {
        guard let (value, _) = values[name], case .map(let entries) = value else { return [:] }
        return entries
    }

    func tree(_ name: String) -> ConfigurationTree? {
        guard let (value, _) = values[name], case .tree(let tree) = value else { return nil }
        return tree
    }

    private static func value(_ text: String, shape: ConfigurationKey.Shape) -> Value {
        switch shape {
        case .list:
            return .list(text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        case .scalar, .map, .tree:
            return .scalar(text)
        }
    }

    private mutating func readFile(_ contents: String) throws {
        let root: Node?
        do {
            root = try Yams.compose(yaml: contents)
        } catch {
            throw ConfigurationError(key: "(file)", problem: "not valid YAML: \(error)")
        }
        guard let root else { return }
        guard case .mapping = root else {
            throw ConfigurationError(key: "(file)", problem: "expected a mapping of sections (database, kafka, ...) at the top level")
        }
        try readNode(root, path: "")
    }

    private mutating func readNode(_ node: Node, path: String) throws {
        if let key = ConfigurationKey.named(path) {
            try readKey(key, node)
            return
        }
        // A section whose every key is commented out reads as null, and so does one `dlq config check` renders
        // with only comments under it: nothing set, not an unknown key.
        if node.null != nil { return }
        guard case .mapping(let mapping) = node else {
            throw ConfigurationError(key: path, problem: "unknown key (see Config/dlq.example.yaml for every key)")
        }
        for (name, child) in mapping {
            guard let name = name.string else {
                throw ConfigurationError(key: path, problem: "keys must be strings")
            }
            let childPath = path.isEmpty ? name : "\(path).\(name)"
            guard ConfigurationKey.all.contains(where: { $0.name == childPath || $0.name.hasPrefix(childPath + ".") }) else {
                throw ConfigurationError(key: childPath, problem: "unknown key (see Config/dlq.example.yaml for every key)")
            }
            try readNode(child, path: childPath)
        }
    }

    private mutating func readKey(_ key: ConfigurationKey, _ node: Node) throws {
        if node.null != nil { return }
        if key.isSecret {
            throw ConfigurationError(
                key: key.name,
                problem: "secrets are never read from the configuration file; set \(key.environmentName) or use a *_file key"
            )
        }
        switch (key.shape, node) {
        case (.tree, _):
            values[key.name] = (.tree(ConfigurationTree(node)), .file)
        case (.scalar, .scalar(let scalar)):
            values[key.name] = (.scalar(scalar.string), .file)
        case (.list, .sequence(let sequence)):
            let items = try sequence.map { item -> String in
                guard case .scalar(let scalar) = item else {
                    throw ConfigurationError(key: key.name, problem: "expected a list of strings")
                }
                return scalar.string
            }
            values[key.name] = (.list(items), .file)
        case (.list, .scalar(let scalar)):
            values[key.name] = (.list([scalar.string]), .file)
        case (.map, .mapping(let mapping)):
            var entries: [String: String] = [:]
            for (name, value) in mapping {
                guard let name = name.string, case .scalar(let scalar) = value else {
                    throw ConfigurationError(key: key.name, problem: "expected a mapping of names to string values")
                }
                entries[name] = scalar.string
            }
            values[key.name] = (.map(entries), .file)
        case (.scalar, _):
            throw ConfigurationError(key: key.name, problem: "expected a single value")
        case (.list, _):
            throw ConfigurationError(key: key.name, problem: "expected a list")
        case (.map, _):
            throw ConfigurationError(key: key.name, problem: "expected a mapping")
        }
    }
}
