import ArgumentParser
import Foundation

/// Who is acting and why, for every command that changes stored dead letters; written to the audit trail.
struct OperatorOptions: ParsableArguments {
    @OptionGroup var operatorName: OperatorName

    @Option(help: "Why: recorded in the audit trail.") var reason: String?

    @Flag(name: .customLong("yes"), help: "Do not ask for confirmation (for scripts).") var assumeYes = false

    @Flag(help: "Show what would happen and change nothing.") var dryRun = false

    var resolvedOperator: String { operatorName.resolved }

    /// True when the change may go ahead: `--yes`, or a person at a terminal typed y. Without a terminal and
    /// without `--yes` the command refuses rather than guess.
    func confirm(_ question: String) throws -> Bool {
        if assumeYes { return true }
        guard isatty(STDIN_FILENO) != 0 else {
            printError("not a terminal, so nobody can confirm: pass --yes to go ahead, or --dry-run to only look")
            throw ExitCode.failure
        }
        FileHandle.standardError.write(Data("\(question) [y/N] ".utf8))
        guard let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() else { return false }
        return answer == "y" || answer == "yes"
    }
}
