; Names that hold the env object besides `env` itself.

; function f(e: Env), (e: Env) => ..., method(e: Env)
(required_parameter
  pattern: (identifier) @alias
  type: (type_annotation (type_identifier) @type))

(optional_parameter
  pattern: (identifier) @alias
  type: (type_annotation (type_identifier) @type))

; const e = this.env / c.env / env
(variable_declarator
  name: (identifier) @alias
  value: (member_expression property: (property_identifier) @type))
