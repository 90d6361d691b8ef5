import StepFunctions
import Testing

@Suite("Replay takes any history in its stride")
struct ReplayRobustnessTests {
  /// A small deterministic generator (SplitMix64).
  struct Generator {
    var state: UInt64
    mutating func next(_ bound: Int) -> Int {
      state &+= 0x9E37_79B9_7F4A_7C15
      var value = state
      value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
      value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
      value ^= value >> 31
      return Int(value % UInt64(max(bound, 1)))
    }
  }

  @Test("Mangled histories give a report or a ReplayError, never a trap")
  func mangledHistories() async throws {
    let machine = try compile(ReplayInternalsTests.nested)
    let result = await record(
      machine, input: ["items": [1, 2]],
      handlers: handlers { request, context in
        try await context.sleep(seconds: 3)
        if request.stateName == "Right" { throw TaskFailure(error: "Again") }
        return ["Payload": [1]]
      })
    let original = result.history.events
    var generator = Generator(state: 11)
    var reports = 0
    for _ in 0..<300 {
      var events = original
      for _ in 0...generator.next(4) {
        let position = generator.next(events.count)
        switch generator.next(7) {
        case 0: events.remove(at: position)
        case 1: events[position].previousEventId = generator.next(events.count * 2) - 3
        case 2: events[position].id = generator.next(events.count * 2) - 3
        case 3: events[position].type = original[generator.next(original.count)].type
        case 4:
          let magnitude = Int64(generator.next(Int(Int32.max))) * (Int64.max / Int64(Int32.max))
          events[position].timestamp = Instant(
            millisecondsSinceEpoch: generator.next(2) == 0 ? magnitude : -magnitude)
        case 5: events[position].details = original[generator.next(original.count)].details
        default: events.swapAt(position, generator.next(events.count))
        }
        if events.isEmpty { break }
      }
      do {
        _ = try await machine.replay(ExecutionHistory(events: events))
        reports += 1
      } catch {
        #expect(!error.message.isEmpty)
      }
    }
    #expect(reports > 100)
  }
}
