import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Whether standard output is a person at a terminal (tables, colours) or a pipe (plain, machine-readable).
var standardOutputIsTerminal: Bool { isatty(STDOUT_FILENO) != 0 }

func printError(_ message: String) {
    FileHandle.standardError.write(Data(("dlq: " + message + "\n").utf8))
}
