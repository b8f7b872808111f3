import ArgumentParser
import Foundation

/// `--operator`: who is acting, as the audit trail records it. Every command that changes something takes it.
struct OperatorName: ParsableArguments {
    @Option(name: .customLong("operator"), help: ArgumentHelp(
        "Who is acting (default: $DLQ_OPERATOR, else the login name).", valueName: "name"
    ))
    var explicit: String?

    /// The name given, else the environment's idea of who is at the keyboard.
    var resolved: String {
        if let explicit, !explicit.isEmpty { return explicit }
        let environment = ProcessInfo.processInfo.environment
        for variable in ["DLQ_OPERATOR", "SUDO_USER", "USER", "LOGNAME"] {
            if let name = environment[variable], !name.isEmpty { return name }
        }
        return ProcessInfo.processInfo.userName.isEmpty ? "unknown" : ProcessInfo.processInfo.userName
    }
}
