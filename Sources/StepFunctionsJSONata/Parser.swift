/// Parses an expression with Pratt's top-down operator precedence, as jsonata-js does, then
/// rewrites the raw tree into the form the evaluator runs (see ``Node``).
struct Parser {
  /// How deeply expressions may nest before parsing stops with an error (so that a hostile
  /// expression cannot overflow the stack).
  static let maximumNesting = 150

  private var lexer: Lexer
  private var node: Node
  private var nodeToken: Token
  private let sourceLength: Int
  private var nesting = 0
  /// The nesting past which parsing stops with ``largerStackCode`` so that it can start again
  /// on a ``LargeStack`` thread (the caller's stack may be small).
  private var stackNesting = Int.max
  /// The code of the error that asks for a larger stack (never seen outside the module).
  static let largerStackCode = "(larger stack)"
  /// The nesting safe on any caller's stack.
  static let callerStackNesting = 24
  private var ancestorLabel = 0
  private var ancestorIndex = 0
  private var ancestry: [Node] = []

  init(_ text: String) {
    lexer = Lexer(text)
    sourceLength = text.utf16.count
    node = Node(.end, value: "(end)", position: 0)
    nodeToken = Token(kind: .end, value: "(end)", position: 0, raw: "")
  }

  /// Parses the whole text.
  static func parse(_ text: String, onCallerStack: Bool = false) throws(JSONataError) -> Node {
    var parser = Parser(text)
    if onCallerStack { parser.stackNesting = callerStackNesting }
    try parser.advance()
    let expression = try parser.expression(0)
    if parser.node.kind != .end {
      throw JSONataError(code: "S0201", position: parser.node.position, token: parser.node.value)
    }
    let processed = try parser.process(expression)
    if processed.kind == .parent || processed.seekingParent != nil {
      throw JSONataError(code: "S0217", position: processed.position, token: "\(processed.kind)")
    }
    return processed
  }

  // MARK: - Tokens

  private var id: String {
    switch node.kind {
    case .operator: return node.value
    case .end: return "(end)"
    default: return "(\(node.kind))"
    }
  }

  private func lbp(_ node: Node) -> Int {
    guard node.kind == .operator else { return 0 }
    switch node.value {
    case ":", ";", ",", ")", "]", "}", "..", "|", "**", "!", "~": return 0
    default: return Lexer.operators[node.value] ?? 0
    }
  }

  @discardableResult
  private mutating func advance(_ expected: String? = nil, infix: Bool = false)
    throws(JSONataError) -> Node
  {
    if let expected, id != expected {
      throw JSONataError(
        code: node.kind == .end ? "S0203" : "S0202", position: node.position,
        token: node.kind == .end ? "(end)" : nodeToken.raw, value: .string(expected))
    }
    guard let token = try lexer.next(infix: infix) else {
      node = Node(.end, value: "(end)", position: sourceLength)
      nodeToken = Token(kind: .end, value: "(end)", position: sourceLength, raw: "(end)")
      return node
    }
    let kind: Node.Kind
    switch token.kind {
    case .name: kind = .name
    case .variable: kind = .variable
    case .operator:
      if token.value == "!" || token.value == "~" {
        throw JSONataError(code: "S0204", position: token.position, token: token.value)
      }
      kind = .operator
    case .string: kind = .string
    case .number: kind = .number
    case .value: kind = .value
    case .regex: kind = .regex
    case .end: kind = .end
    }
    let created = Node(kind, value: token.value, position: token.position)
    created.literal = token.literal
    created.regex = token.regex
    node = created
    nodeToken = token
    return created
  }

  private mutating func expression(_ rbp: Int) throws(JSONataError) -> Node {
    nesting += 1
    defer { nesting -= 1 }
    if nesting > stackNesting, nesting <= Parser.maximumNesting {
      throw JSONataError(code: Parser.largerStackCode)
    }
    if nesting > Parser.maximumNesting {
      throw JSONataError(
        code: "U1001", position: node.position,
        message: "The expression nests more than \(Parser.maximumNesting) levels deep")
    }
    var t = node
    try advance(nil, infix: true)
    var left = try nud(t)
    while rbp < lbp(node) {
      t = node
      try advance()
      left = try led(t, left)
    }
    return left
  }

  // MARK: - Prefix

  private mutating func nud(_ t: Node) throws(JSONataError) -> Node {
    switch t.kind {
    case .operator:
      switch t.value {
      case "and", "or", "in": return t
      case "-":
        t.expression = try expression(70)
        t.kind = .unary
        return t
      case "*":
        t.kind = .wildcard
        return t
      case "**":
        t.kind = .descendant
        return t
      case "%":
        t.kind = .parent
        return t
      case "(":
        var expressions: [Node] = []
        while id != ")" {
          expressions.append(try expression(0))
          if id != ";" { break }
          try advance(";")
        }
        try advance(")", infix: true)
        t.kind = .block
        t.expressions = expressions
        return t
      case "[":
        var items: [Node] = []
        if id != "]" {
          while true {
            var item = try expression(0)
            if id == ".." {
              let range = Node(.binary, value: "..", position: node.position)
              range.lhs = item
              try advance("..")
              range.rhs = try expression(0)
              item = range
            }
            items.append(item)
            if id != "," { break }
            try advance(",")
          }
        }
        try advance("]", infix: true)
        t.expressions = items
        t.kind = .unary
        return t
      case "{":
        t.pairs = try objectPairs()
        t.kind = .unary
        return t
      case "|":
        t.kind = .transform
        t.pattern = try expression(0)
        try advance("|")
        t.update = try expression(0)
        if id == "," {
          try advance(",")
          t.delete = try expression(0)
        }
        try advance("|")
        return t
      default:
        throw JSONataError(code: "S0211", position: t.position, token: t.value)
      }
    default:
      return t
    }
  }

  private mutating func objectPairs() throws(JSONataError) -> [(Node, Node)] {
    var pairs: [(Node, Node)] = []
    if id != "}" {
      while true {
        let key = try expression(0)
        try advance(":")
        let value = try expression(0)
        pairs.append((key, value))
        if id != "," { break }
        try advance(",")
      }
    }
    try advance("}", infix: true)
    return pairs
  }

  // MARK: - Infix

  private mutating func led(_ t: Node, _ left: Node) throws(JSONataError) -> Node {
    let bp = Lexer.operators[t.value] ?? 0
    switch t.value {
    case "(":
      t.procedure = left
      t.kind = .function
      if id != ")" {
        while true {
          if node.kind == .operator, node.value == "?" {
            t.kind = .partial
            t.arguments.append(node)
            try advance("?")
          } else {
            t.arguments.append(try expression(0))
          }
          if id != "," { break }
          try advance(",")
        }
      }
      try advance(")", infix: true)
      if left.kind == .name, left.value == "function" || left.value == "\u{03BB}" {
        for (index, argument) in t.arguments.enumerated() where argument.kind != .variable {
          throw JSONataError(
            code: "S0208", position: argument.position, token: argument.value,
            value: .number(.init(index + 1)))
        }
        t.kind = .lambda
        if id == "<" {
          let signatureStart = node.position
          var depth = 1
          var text = "<"
          while depth > 0, id != "{", id != "(end)" {
            let token = try advance()
            if token.kind == .operator, token.value == ">" {
              depth -= 1
            } else if token.kind == .operator, token.value == "<" {
              depth += 1
            }
            text += nodeToken.raw
          }
          try advance(">")
          do {
            t.signature = try Signature(text)
          } catch {
            throw JSONataError(
              code: error.code, position: signatureStart + (error.position ?? 0),
              token: error.token, message: error.message)
          }
        }
        try advance("{")
        t.body = try expression(0)
        try advance("}")
      }
      return t
    case "[":
      if id == "]" {
        var step: Node? = left
        while let current = step, current.kind == .binary, current.value == "[" {
          step = current.lhs
        }
        step?.keepArray = true
        try advance("]")
        return left
      }
      t.lhs = left
      t.rhs = try expression(0)
      t.kind = .binary
      try advance("]", infix: true)
      return t
    case "^":
      try advance("(")
      var terms: [(Bool, Node)] = []
      while true {
        var descending = false
        if id == "<" {
          try advance("<")
        } else if id == ">" {
          descending = true
          try advance(">")
        }
        terms.append((descending, try expression(0)))
        if id != "," { break }
        try advance(",")
      }
      try advance(")")
      t.lhs = left
      t.terms = terms.map { (descending: $0.0, expression: $0.1) }
      t.kind = .binary
      return t
    case "{":
      t.lhs = left
      t.pairs = try objectPairs()
      t.kind = .binary
      return t
    case ":=":
      if left.kind != .variable {
        throw JSONataError(code: "S0212", position: left.position, token: left.value)
      }
      t.lhs = left
      t.rhs = try expression(bp - 1)
      t.kind = .binary
      return t
    case "@", "#":
      t.lhs = left
      t.rhs = try expression(bp)
      if t.rhs?.kind != .variable {
        throw JSONataError(code: "S0214", position: t.rhs?.position, token: t.value)
      }
      t.kind = .binary
      return t
    case "?":
      t.kind = .condition
      t.condition = left
      t.then = try expression(0)
      if id == ":" {
        try advance(":")
        t.otherwise = try expression(0)
      }
      return t
    default:
      t.lhs = left
      t.rhs = try expression(bp)
      t.kind = .binary
      return t
    }
  }

  // MARK: - Rewriting

  private func tailCallOptimize(_ expr: Node) -> Node {
    switch expr.kind {
    case .function where expr.predicate == nil:
      let thunk = Node(.lambda, position: expr.position)
      thunk.thunk = true
      thunk.body = expr
      return thunk
    case .condition:
      if let then = expr.then { expr.then = tailCallOptimize(then) }
      if let otherwise = expr.otherwise { expr.otherwise = tailCallOptimize(otherwise) }
      return expr
    case .block:
      if let last = expr.expressions.last {
        expr.expressions[expr.expressions.count - 1] = tailCallOptimize(last)
      }
      return expr
    default:
      return expr
    }
  }

  private mutating func seekParent(_ node: Node, _ slot: Slot) throws(JSONataError) -> Slot {
    var slot = slot
    switch node.kind {
    case .name, .wildcard:
      slot.level -= 1
      if slot.level == 0 {
        if let existing = node.ancestor {
          ancestry[slot.index].slot?.label = existing.label
          node.ancestor = slot
        } else {
          node.ancestor = slot
        }
        node.tuple = true
      }
    case .parent:
      slot.level += 1
    case .block:
      if let last = node.expressions.last {
        node.tuple = true
        slot = try seekParent(last, slot)
      }
    case .path:
      node.tuple = true
      var index = node.steps.count - 1
      slot = try seekParent(node.steps[index], slot)
      index -= 1
      while slot.level > 0, index >= 0 {
        slot = try seekParent(node.steps[index], slot)
        index -= 1
      }
    default:
      throw JSONataError(code: "S0217", position: node.position, token: "\(node.kind)")
    }
    return slot
  }

  private func pushAncestry(_ result: Node, _ value: Node?) {
    guard let value else { return }
    if value.seekingParent != nil || value.kind == .parent {
      var slots = value.seekingParent ?? []
      if value.kind == .parent, let slot = value.slot { slots.append(slot) }
      if result.seekingParent == nil {
        result.seekingParent = slots
      } else {
        result.seekingParent?.append(contentsOf: slots)
      }
    }
  }

  private mutating func resolveAncestry(_ path: Node) throws(JSONataError) {
    guard let lastStep = path.steps.last else { return }
    var slots = lastStep.seekingParent ?? []
    if lastStep.kind == .parent, let slot = lastStep.slot { slots.append(slot) }
    for original in slots {
      var slot = original
      var index = path.steps.count - 2
      while slot.level > 0 {
        if index < 0 {
          if path.seekingParent == nil {
            path.seekingParent = [slot]
          } else {
            path.seekingParent?.append(slot)
          }
          break
        }
        var step = path.steps[index]
        index -= 1
        while index >= 0, step.focus != nil, path.steps[index].focus != nil {
          step = path.steps[index]
          index -= 1
        }
        slot = try seekParent(step, slot)
      }
    }
  }

  private mutating func process(_ expr: Node) throws(JSONataError) -> Node {
    var result: Node
    switch expr.kind {
    case .binary:
      result = try processBinary(expr)
    case .unary:
      result = Node(.unary, value: expr.value, position: expr.position)
      if expr.value == "[" {
        result.expressions = []
        for item in expr.expressions {
          let value = try process(item)
          pushAncestry(result, value)
          result.expressions.append(value)
        }
      } else if expr.value == "{" {
        for (key, value) in expr.pairs {
          let processedKey = try process(key)
          pushAncestry(result, processedKey)
          let processedValue = try process(value)
          pushAncestry(result, processedValue)
          result.pairs.append((processedKey, processedValue))
        }
      } else if let operand = expr.expression {
        let processed = try process(operand)
        if expr.value == "-", processed.kind == .number, let number = processed.literal?.numberValue
        {
          processed.literal = .number(-number)
          result = processed
        } else {
          result.expression = processed
          pushAncestry(result, processed)
        }
      }
    case .function, .partial:
      result = Node(expr.kind, value: expr.value, position: expr.position)
      for argument in expr.arguments {
        let processed = try process(argument)
        pushAncestry(result, processed)
        result.arguments.append(processed)
      }
      if let procedure = expr.procedure { result.procedure = try process(procedure) }
    case .lambda:
      result = Node(.lambda, position: expr.position)
      result.arguments = expr.arguments
      result.signature = expr.signature
      if let body = expr.body { result.body = tailCallOptimize(try process(body)) }
    case .condition:
      result = Node(.condition, position: expr.position)
      if let condition = expr.condition { result.condition = try process(condition) }
      pushAncestry(result, result.condition)
      if let then = expr.then { result.then = try process(then) }
      pushAncestry(result, result.then)
      if let otherwise = expr.otherwise {
        result.otherwise = try process(otherwise)
        pushAncestry(result, result.otherwise)
      }
    case .transform:
      result = Node(.transform, position: expr.position)
      if let pattern = expr.pattern { result.pattern = try process(pattern) }
      if let update = expr.update { result.update = try process(update) }
      if let delete = expr.delete { result.delete = try process(delete) }
    case .block:
      result = Node(.block, position: expr.position)
      for item in expr.expressions {
        let part = try process(item)
        pushAncestry(result, part)
        if part.consarray || (part.kind == .path && part.steps.first?.consarray == true) {
          result.consarray = true
        }
        result.expressions.append(part)
      }
    case .name:
      result = Node(.path, position: expr.position)
      result.steps = [expr]
      if expr.keepArray { result.keepSingletonArray = true }
    case .parent:
      result = Node(.parent, position: expr.position)
      result.slot = Slot(label: "!\(ancestorLabel)", level: 1, index: ancestorIndex)
      ancestorLabel += 1
      ancestorIndex += 1
      ancestry.append(result)
    case .string, .number, .value, .wildcard, .descendant, .variable, .regex:
      result = expr
    case .operator:
      if expr.value == "and" || expr.value == "or" || expr.value == "in" {
        expr.kind = .name
        result = try process(expr)
      } else if expr.value == "?" {
        result = expr
      } else {
        throw JSONataError(code: "S0201", position: expr.position, token: expr.value)
      }
    case .end:
      throw JSONataError(code: "S0207", position: expr.position, token: "(end)")
    default:
      throw JSONataError(code: "S0206", position: expr.position, token: expr.value)
    }
    if expr.keepArray { result.keepArray = true }
    return result
  }

  private mutating func processBinary(_ expr: Node) throws(JSONataError) -> Node {
    var result: Node
    switch expr.value {
    case ".":
      guard let lhs = expr.lhs, let rhs = expr.rhs else { throw syntax(expr) }
      let lstep = try process(lhs)
      if lstep.kind == .path {
        result = lstep
      } else {
        result = Node(.path, position: lstep.position)
        result.steps = [lstep]
      }
      if lstep.kind == .parent, let slot = lstep.slot { result.seekingParent = [slot] }
      let rest = try process(rhs)
      if rest.kind == .path {
        result.steps.append(contentsOf: rest.steps)
      } else {
        if let predicate = rest.predicate {
          rest.stages = predicate
          rest.predicate = nil
        }
        result.steps.append(rest)
      }
      for step in result.steps {
        if step.kind == .number || step.kind == .value {
          throw JSONataError(
            code: "S0213", position: step.position, value: step.literal?.json() ?? .null)
        }
        if step.kind == .string { step.kind = .name }
      }
      if result.steps.contains(where: { $0.keepArray }) { result.keepSingletonArray = true }
      if let first = result.steps.first, first.kind == .unary, first.value == "[" {
        first.consarray = true
      }
      if let last = result.steps.last, last.kind == .unary, last.value == "[" {
        last.consarray = true
      }
      try resolveAncestry(result)
    case "[":
      guard let lhs = expr.lhs, let rhs = expr.rhs else { throw syntax(expr) }
      result = try process(lhs)
      var step = result
      var usesStages = false
      if result.kind == .path, let last = result.steps.last {
        step = last
        usesStages = true
      }
      if step.group != nil {
        throw JSONataError(code: "S0209", position: expr.position)
      }
      let predicate = try process(rhs)
      if let seeking = predicate.seekingParent {
        for slot in seeking {
          if slot.level == 1 {
            _ = try seekParent(step, slot)
          } else {
            slot.level -= 1
          }
        }
        pushAncestry(step, predicate)
      }
      let filter = Node(.filter, position: expr.position)
      filter.expression = predicate
      if usesStages {
        step.stages = (step.stages ?? []) + [filter]
      } else {
        step.predicate = (step.predicate ?? []) + [filter]
      }
    case "{":
      guard let lhs = expr.lhs else { throw syntax(expr) }
      result = try process(lhs)
      if result.group != nil {
        throw JSONataError(code: "S0210", position: expr.position)
      }
      var pairs: [(Node, Node)] = []
      for (key, value) in expr.pairs {
        pairs.append((try process(key), try process(value)))
      }
      result.group = Node.Group(pairs: pairs, position: expr.position)
    case "^":
      guard let lhs = expr.lhs else { throw syntax(expr) }
      result = try process(lhs)
      if result.kind != .path {
        let path = Node(.path, position: result.position)
        path.steps = [result]
        result = path
      }
      let sortStep = Node(.sort, position: expr.position)
      for term in expr.terms {
        let expression = try process(term.expression)
        pushAncestry(sortStep, expression)
        sortStep.terms.append((descending: term.descending, expression: expression))
      }
      result.steps.append(sortStep)
      try resolveAncestry(result)
    case ":=":
      guard let lhs = expr.lhs, let rhs = expr.rhs else { throw syntax(expr) }
      result = Node(.bind, value: expr.value, position: expr.position)
      result.lhs = try process(lhs)
      result.rhs = try process(rhs)
      pushAncestry(result, result.rhs)
    case "@":
      guard let lhs = expr.lhs, let rhs = expr.rhs else { throw syntax(expr) }
      result = try process(lhs)
      var step = result
      if result.kind == .path, let last = result.steps.last { step = last }
      if step.stages != nil || step.predicate != nil {
        throw JSONataError(code: "S0215", position: expr.position)
      }
      if step.kind == .sort {
        throw JSONataError(code: "S0216", position: expr.position)
      }
      if expr.keepArray { step.keepArray = true }
      step.focus = rhs.value
      step.tuple = true
    case "#":
      guard let lhs = expr.lhs, let rhs = expr.rhs else { throw syntax(expr) }
      result = try process(lhs)
      var step = result
      if result.kind == .path, let last = result.steps.last {
        step = last
      } else {
        let path = Node(.path, position: result.position)
        path.steps = [result]
        result = path
        if let predicate = step.predicate {
          step.stages = predicate
          step.predicate = nil
        }
      }
      if step.stages == nil {
        step.indexName = rhs.value
      } else {
        let index = Node(.index, value: rhs.value, position: expr.position)
        step.stages?.append(index)
      }
      step.tuple = true
    case "~>":
      guard let lhs = expr.lhs, let rhs = expr.rhs else { throw syntax(expr) }
      result = Node(.apply, value: expr.value, position: expr.position)
      result.lhs = try process(lhs)
      result.rhs = try process(rhs)
    default:
      guard let lhs = expr.lhs, let rhs = expr.rhs else { throw syntax(expr) }
      result = Node(.binary, value: expr.value, position: expr.position)
      result.lhs = try process(lhs)
      result.rhs = try process(rhs)
      pushAncestry(result, result.lhs)
      pushAncestry(result, result.rhs)
    }
    return result
  }

  private func syntax(_ expr: Node) -> JSONataError {
    JSONataError(code: "S0201", position: expr.position, token: expr.value)
  }
}
