import Foundation

/// How many random inputs the seeded random-input tests try: their default times `DLQ_FUZZ_SCALE` (1 in the
/// test command; set it to 100 or more for a long run).
func fuzzIterations(_ standard: Int) -> Int {
    standard * max(1, Int(ProcessInfo.processInfo.environment["DLQ_FUZZ_SCALE"] ?? "") ?? 1)
}
