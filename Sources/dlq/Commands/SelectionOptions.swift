import ArgumentParser
import DLQCore
import Foundation

/// The selection terms every command that reads or changes a set of dead letters takes, e.g.
/// `dlq replay original_topic=orders class=transient since=2h`.
struct SelectionOptions: ParsableArguments {
    @Argument(help: ArgumentHelp(
        "Selection terms, field=value, all of which must hold (README: Selecting dead letters).",
        valueName: "field=value"
    ))
    var terms: [String] = []

    /// The terms read as one selection; a bad term is a usage error naming it.
    func selection(now: Date = Date()) throws -> DeadLetterSelection {
        do {
            return try DeadLetterSelection(parsing: terms.joined(separator: " "), now: now)
        } catch {
            throw ValidationError(error.description)
        }
    }
}
