import DLQCoreFuzzing
import DLQManager

/// The configuration loader under fuzzing: one input is the text of a YAML configuration file, loaded with an
/// empty environment and no command-line overrides.
///
/// Loading must either succeed or throw a ``ConfigurationError`` naming a key: nothing else, no trap. A loaded
/// configuration's rendering (what `dlq config check` prints, documented as valid input for `--config`) must load
/// again to the same settings; only comments may differ, since origins and secrets are comments there.
public enum ConfigurationFuzzTarget {
    public static func run(_ input: [UInt8]) throws(FuzzFailure) {
        // The loader reads the file as UTF-8 and rejects anything else before parsing, so only UTF-8 goes further.
        guard let text = String(validating: input, as: UTF8.self) else { return }
        let configuration: DLQConfiguration
        do {
            configuration = try DLQConfiguration.load(fileContents: text, environment: [:])
        } catch is ConfigurationError {
            return
        } catch {
            throw FuzzFailure(target: "configuration", invariant: "\(type(of: error)) instead of a ConfigurationError: \(error)")
        }

        let rendered = configuration.renderedYAML()
        let reloaded: DLQConfiguration
        do {
            reloaded = try DLQConfiguration.load(fileContents: rendered, environment: [:])
        } catch {
            throw FuzzFailure(target: "configuration", invariant: "the rendered configuration does not load: \(error)\n\(rendered)")
        }
        let before = settings(rendered), after = settings(reloaded.renderedYAML())
        guard before == after else {
            let changed = zip(before, after).first { $0 != $1 }.map { "\($0.0.debugDescription) became \($0.1.debugDescription)" }
            throw FuzzFailure(target: "configuration", invariant: "reloading the rendered configuration changed it: \(changed ?? "lines added or lost")")
        }
    }

    /// The rendered lines that are settings: without comment lines, and without the origin comment ending a line.
    private static func settings(_ rendered: String) -> [String] {
        rendered.split(separator: "\n").compactMap { line in
            guard !line.drop(while: { $0 == " " }).hasPrefix("#") else { return nil }
            let originComments = ["default", "file", "environment", "command line"].map { "  # " + $0 }
            if let origin = originComments.first(where: { line.hasSuffix($0) }) {
                return String(line.dropLast(origin.count))
            }
            return String(line)
        }
    }
}
