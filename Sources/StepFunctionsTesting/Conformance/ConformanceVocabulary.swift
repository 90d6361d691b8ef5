import StepFunctions

extension PlaceholderVocabulary {
  /// The vocabulary of a case: the corpus-wide placeholders plus the replacement words of the
  /// case's own snapshot transformers (those that are not already `<...>` placeholders).
  public init(for testCase: ConformanceCase) {
    var words: [String] = []
    for transformer in testCase.source.testTransformers {
      guard let replacement = transformer["replacement"]?.stringValue,
        !replacement.contains("<"), !replacement.contains("\"")
      else { continue }
      words.append(replacement)
    }
    self.init(testWords: words)
  }
}
