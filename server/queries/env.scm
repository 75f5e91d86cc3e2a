; Reads of env bindings. The Rust side decides which receivers are env objects:
; `env` and its aliases (handler parameters, parameters typed `Env`), and any `<expr>.env`
; except `process.env` and `import.meta.env`.

; env.X, this.env.X, c.env.X (also with ?.)
(member_expression
  object: [
    (identifier) @receiver
    (member_expression property: (property_identifier) @receiver)
  ]
  property: (property_identifier) @name) @access

; env["X"]
(subscript_expression
  object: [
    (identifier) @receiver
    (member_expression property: (property_identifier) @receiver)
  ]
  index: (string (string_fragment) @name)) @access

; const { X, Y: y } = env
(variable_declarator
  name: (object_pattern) @pattern
  value: [
    (identifier) @receiver
    (member_expression property: (property_identifier) @receiver)
  ]) @destructure
