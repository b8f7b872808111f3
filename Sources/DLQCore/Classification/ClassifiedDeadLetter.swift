/// A dead letter with what the rules concluded about it and the error group it belongs to.
public struct ClassifiedDeadLetter: Sendable {
    public var letter: DeadLetter
    public var classification: Classification
    public var fingerprint: Fingerprint
    /// The normalized message the group shares, e.g. `Card declined for order <num>`.
    public var messagePattern: String?

    public init(_ letter: DeadLetter, classifier: Classifier) {
        self.letter = letter
        classification = classifier.classify(letter)
        messagePattern = letter.errorMessage.map(MessageNormalizer.normalize)
        fingerprint = Fingerprint.of(letter, messagePattern: messagePattern)
    }
}
