import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Whether a child process has exited, reaping it. Foundation's `Process` on Linux was seen leaving an exited
/// child a zombie with `isRunning` still true while another child was running, so tests ask the kernel.
enum ChildExit {
    /// The exit status (128 + signal number when killed by a signal), or nil while it runs.
    static func status(of process: Process) -> Int32? {
        var status: Int32 = 0
        switch waitpid(process.processIdentifier, &status, WNOHANG) {
        case 0:
            return nil
        case process.processIdentifier:
            let signal = status & 0x7F
            return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
        default:
            // Already reaped by Foundation: its own view is then final.
            return process.isRunning ? nil : process.terminationStatus
        }
    }
}
