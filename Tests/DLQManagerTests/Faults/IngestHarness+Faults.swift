import Foundation
import Testing

extension IngestHarness {
    /// Waits until at least `count` rows are stored (the daemon is mid-stream) and returns how many.
    func storedWhen(atLeast count: Int64) async throws -> Int64 {
        var stored: Int64 = 0
        try await eventually("\(count) rows are stored") {
            stored = try await database.count()
            return stored >= count
        }
        return stored
    }

    /// Waits until `daemon` stored all of `produced` and committed every offset, stops it with SIGTERM, and
    /// checks that it exits 0 and that the stored set equals the produced set, byte for byte.
    func expectEverythingStored(
        _ produced: [Coordinate: Record],
        daemon: DLQProcess,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        try await eventually("\(produced.count) rows are stored") { try await database.count() == produced.count }
        try await eventually("the group committed every offset") { try await groupCommittedEverything() }
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0, "log:\n\(daemon.log())", sourceLocation: sourceLocation)
        #expect(try await storedRecords() == produced, sourceLocation: sourceLocation)
    }
}
