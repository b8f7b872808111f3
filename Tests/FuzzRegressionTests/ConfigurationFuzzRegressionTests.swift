import DLQManagerFuzzing
import Testing

/// The configuration fuzz target's committed seeds and crash reproducers, replayed without libFuzzer.
@Suite("Configuration fuzz target: seeds and regressions")
struct ConfigurationFuzzRegressionTests {
    @Test("every seed and regression loads or fails with a ConfigurationError, and what loads reloads from its rendering",
          arguments: FuzzCorpus.inputs("configuration"))
    func replay(input: FuzzCorpus.Input) {
        #expect(throws: Never.self) { try ConfigurationFuzzTarget.run(input.bytes) }
    }
}
