import DLQCoreFuzzing
import Testing

/// The selection fuzz target's committed seeds and crash reproducers, replayed without libFuzzer.
@Suite("Selection fuzz target: seeds and regressions")
struct SelectionFuzzRegressionTests {
    @Test("every seed and regression parses or fails cleanly, and reads back from its canonical text", arguments: FuzzCorpus.inputs("selection"))
    func replay(input: FuzzCorpus.Input) {
        #expect(throws: Never.self) { try SelectionFuzzTarget.run(input.bytes) }
    }
}
