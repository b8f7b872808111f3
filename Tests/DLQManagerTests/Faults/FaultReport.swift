import Foundation

/// What a fault test injected and what it verified afterwards, printed as one block when the test ends so
/// that `scripts/fault-suite` can show a readable account per fault.
///
/// Written to standard output, and appended to the file named by `DLQ_FAULT_REPORT` when it is set (the
/// script collects them there, apart from the test runner's own output).
final class FaultReport: @unchecked Sendable {
    // @unchecked: used by one test at a time, from its own task.
    private let fault: String
    private var injected: [String] = []
    private var verified: [String] = []

    init(_ fault: String) {
        self.fault = fault
    }

    func injected(_ what: String) {
        injected.append(what)
    }

    /// Call after the expectation it describes: a failed expectation fails the test whatever the report says.
    func verified(_ what: String) {
        verified.append(what)
    }

    /// Prints the report. Call last.
    func print() {
        let text = (["fault: \(fault)"] + injected.map { "  injected: \($0)" } + verified.map { "  verified: \($0)" })
            .joined(separator: "\n") + "\n"
        Swift.print(text, terminator: "")
        // Append mode: tests run in parallel, and each block is one small write at the end of the file.
        if let path = ProcessInfo.processInfo.environment["DLQ_FAULT_REPORT"], let file = fopen(path, "a") {
            fputs(text, file)
            fclose(file)
        }
    }
}
