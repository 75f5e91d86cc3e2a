; Method calls: `<receiver>.<method>(...)`. The Rust side keeps those whose receiver is an env
; binding (`env.X.m()`), a Durable Object stub (`env.X.get(id).m()`, `env.X.getByName(n).m()`),
; or a local constant holding such a stub.
(call_expression
  function: (member_expression
    object: (_) @receiver
    property: (property_identifier) @method)
  arguments: (arguments) @args) @call

; const stub = env.X.get(...) / env.X.getByName(...)
(variable_declarator
  name: (identifier) @stub
  value: (call_expression
    function: (member_expression
      object: (_) @namespace
      property: (property_identifier) @getter))) @stub_decl

; env passed whole to a call: f(env), f(this.env)
(arguments (identifier) @argument)
(arguments (member_expression property: (property_identifier) @argument_env) @argument_member)

; { ...env }
(spread_element (_) @spread)
