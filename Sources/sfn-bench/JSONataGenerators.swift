import StepFunctions

/// The definitions and inputs of the JSONata cases, built deterministically.
enum JSONataGenerators {
  /// `count` orders: id, customer, unit price (a decimal), quantity, tags and an ISO date.
  static func ordersInput(count: Int) -> JSON {
    let customers = ["acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne"]
    let tagWords = ["rush", "gift", "fragile", "bulk", "promo"]
    var orders: [JSON] = []
    orders.reserveCapacity(count)
    for index in 0..<count {
      let cents = 199 + (index * 7_919) % 9_800
      let tags = (0..<(1 + index % 3)).map { JSON.string(tagWords[(index + $0) % tagWords.count]) }
      let day = 1 + index % 28
      orders.append([
        "id": .number(JSONNumber(1_000 + index)),
        "customer": .string(customers[index % customers.count]),
        "price": .number(JSONNumber(Double(cents) / 100)),
        "quantity": .number(JSONNumber(1 + index % 5)),
        "tags": .array(tags),
        "date": .string("2026-11-\(day < 10 ? "0" : "")\(day)T10:15:00Z"),
      ])
    }
    return ["batch": "b-7", "minimum": 25, "orders": .array(orders)]
  }

  /// A JSONata machine that transforms its input in several Pass states and a Map: `$map`
  /// with object construction and string functions, `$filter`, `$reduce`, grouping, `$sort`,
  /// `$distinct`, `$join`, `$formatNumber`, variables carried by `Assign`.
  static func transformMachine() -> JSON {
    let states: JSONObject = [
      "Normalize": [
        "Type": "Pass",
        "Assign": ["batch": "{% $states.input.batch %}", "minimum": "{% $states.input.minimum %}"],
        "Output": """
        {% {"orders": $map($states.input.orders, function($o) {
          {"id": $o.id, "customer": $uppercase($o.customer),
           "total": $round($o.price * $o.quantity, 2), "tags": $o.tags,
           "day": $substring($o.date, 0, 10)}
        })} %}
        """,
        "Next": "Filter",
      ],
      "Filter": [
        "Type": "Pass",
        "Assign": ["dropped": "{% $count($states.input.orders[total < $minimum]) %}"],
        "Output": """
        {% {"orders": $filter($states.input.orders, function($o) { $o.total >= $minimum })} %}
        """,
        "Next": "Aggregate",
      ],
      "Aggregate": [
        "Type": "Pass",
        "Assign": [
          "revenue":
            "{% $reduce($states.input.orders, function($sum, $o) { $sum + $o.total }, 0) %}",
          "byCustomer": "{% $states.input.orders{customer: $round($sum(total), 2)} %}",
          "customers": "{% $sort($distinct($states.input.orders.customer)) %}",
        ],
        "Output": """
        {% {"orders": $sort($states.input.orders, function($a, $b) { $a.total < $b.total })} %}
        """,
        "Next": "Label",
      ],
      "Label": [
        "Type": "Map",
        "Items": "{% $states.input.orders %}",
        "ItemProcessor": [
          "ProcessorConfig": ["Mode": "INLINE"],
          "StartAt": "One",
          "States": [
            "One": [
              "Type": "Pass",
              "Output": """
              {% {"id": $states.input.id,
                  "label": $pad($lowercase($states.input.customer), 10, '.') & ' '
                    & $formatNumber($states.input.total, '#,##0.00'),
                  "tags": $join($sort($states.input.tags), '|'),
                  "rush": 'rush' in $states.input.tags} %}
              """,
              "End": true,
            ]
          ],
        ],
        "Output": """
        {% {"batch": $batch, "dropped": $dropped, "revenue": $round($revenue, 2),
            "customers": $customers, "byCustomer": $byCustomer,
            "rush": $count($states.result[rush]),
            "labels": $states.result.label, "top": $states.result[[0..2]].id} %}
        """,
        "End": true,
      ],
    ]
    return [
      "Comment": "JSONata transforms over ~100 orders", "QueryLanguage": "JSONata",
      "StartAt": "Normalize", "States": .object(states),
    ]
  }

  /// The query language of a generated Pass chain.
  enum Language { case jsonPath, jsonata }

  /// The shape of `pass_chain.json` (odd states: a step, the previous step and a
  /// `States.Format` label; even states: a step, the previous step and a nested object of
  /// copied fields; each result into `$.last`), written in `language`: JSONPath with
  /// `Parameters`, intrinsics and `ResultPath`, or JSONata with one `Output` expression that
  /// builds the same object (`$merge` of the input and the new `last`).
  static func passChain(count: Int, language: Language) -> JSON {
    var states = JSONObject(minimumCapacity: count)
    for number in 1...count {
      let odd = number % 2 == 1
      var state: JSONObject = ["Type": "Pass"]
      switch language {
      case .jsonPath:
        var parameters: JSONObject = [
          "step": .number(JSONNumber(number)), "prev.$": "$.last.step",
        ]
        if odd {
          parameters["label.$"] = "States.Format('{}-{}', $.name, $.last.step)"
        } else {
          parameters["meta"] = ["even": true, "name.$": "$.name", "tags.$": "$.tags"]
        }
        state["Parameters"] = .object(parameters)
        state["ResultPath"] = "$.last"
      case .jsonata:
        let last =
          odd
          ? "{\"step\": \(number), \"prev\": $states.input.last.step, \"label\": $states.input.name & '-' & $states.input.last.step}"
          : "{\"step\": \(number), \"prev\": $states.input.last.step, \"meta\": {\"even\": true, \"name\": $states.input.name, \"tags\": $states.input.tags}}"
        state["Output"] = .string("{% $merge([$states.input, {\"last\": \(last)}]) %}")
      }
      if number < count {
        state["Next"] = .string(Generators.stateName(number + 1))
      } else {
        state["End"] = true
      }
      states.append(key: Generators.stateName(number), value: .object(state))
    }
    var definition: JSONObject = [
      "Comment": .string("\(count) Pass states in a chain, as pass_chain.json"),
      "StartAt": .string(Generators.stateName(1)),
    ]
    if language == .jsonata { definition["QueryLanguage"] = "JSONata" }
    definition["States"] = .object(states)
    return .object(definition)
  }

  /// The input of the generated Pass chains (that of `pass_chain.input.json`).
  static let passChainInput: JSON = ["name": "video-1", "tags": ["a", "b"], "last": ["step": 0]]
}
