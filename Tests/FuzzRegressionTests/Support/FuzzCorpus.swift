import Foundation
import Testing

/// The committed inputs of one fuzz target: `Tests/Fixtures/fuzz/<target>/seeds` (where libFuzzer starts) and
/// `Tests/Fixtures/fuzz/<target>/regressions` (every crash libFuzzer found, kept after the fix).
struct FuzzCorpus {
    /// One committed input, named by its folder and file so a failing case says which file to look at.
    struct Input: Sendable, CustomTestStringConvertible {
        var name: String
        var bytes: [UInt8]

        var testDescription: String { name }
    }

    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/fuzz")

    static func directory(_ target: String, _ kind: String) -> URL {
        root.appendingPathComponent(target).appendingPathComponent(kind)
    }

    /// The seeds and the regressions, seeds first, each folder in file-name order.
    static func inputs(_ target: String) -> [Input] {
        ["seeds", "regressions"].flatMap { kind in
            let directory = directory(target, kind)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            return names.filter { !$0.hasPrefix(".") }.sorted().compactMap { name -> Input? in
                guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path) else { return nil }
                return Input(name: "\(kind)/\(name)", bytes: Array(data))
            }
        }
    }
}
