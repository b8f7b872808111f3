#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import DLQCore

/// The selection-language parser under fuzzing: one input is one selection text (UTF-8, repaired as command-line
/// arguments are).
///
/// The parser's type already says that it either parses or throws a ``SelectionSyntaxError``; what is checked here
/// is the promise replay jobs rely on: a parsed selection's canonical text (stored with the job) reads back to an
/// equal selection.
public enum SelectionFuzzTarget {
    /// 2026-01-31T12:00:00Z: ages (`since=2h`) count back from a fixed time, so a failure reproduces.
    static let now = Date(timeIntervalSince1970: 1_769_860_800)

    public static func run(_ input: [UInt8]) throws(FuzzFailure) {
        let text = String(decoding: input, as: UTF8.self)
        guard let selection = try? DeadLetterSelection(parsing: text, now: now) else { return }
        let canonical = selection.description
        let again: DeadLetterSelection
        do {
            again = try DeadLetterSelection(parsing: canonical, now: now)
        } catch {
            throw FuzzFailure(
                target: "selection", invariant: "canonical text \(canonical.debugDescription) of \(text.debugDescription) does not parse: \(error)")
        }
        guard again == selection else {
            throw FuzzFailure(
                target: "selection",
                invariant: "canonical text \(canonical.debugDescription) of \(text.debugDescription) reads back as \(again.description.debugDescription)")
        }
    }
}
