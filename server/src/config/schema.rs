//! wrangler's own JSON schema for its config (vendored from the npm package, see
//! `server/schema/README.md`), read once per process into a compact key tree: for each table,
//! the keys it accepts with their types, documentation and deprecation.
//!
//! The JSON schema is draft-07 as `ts-json-schema-generator` writes it: `$ref`s into
//! `definitions`, `anyOf` for unions, `additionalProperties: false` on every interface and a
//! schema for the values of free-form maps (`vars`, `define`, `exports`, `env`). Unions are
//! kept as alternatives and read as their union: a key valid in any alternative is valid, so
//! nothing is reported that one reading of the schema accepts.
//!
//! Never fails: should the vendored file not parse (a test guards against that), the schema is
//! empty and open, and nothing is reported.

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

const SCHEMA_JSON: &str = include_str!("../../schema/wrangler-config-schema.json");
const VERSION_TXT: &str = include_str!("../../schema/wrangler-version.txt");

/// The wrangler release the vendored schema comes from (e.g. `4.164.0`).
pub fn wrangler_version() -> &'static str {
    VERSION_TXT.trim()
}

/// The key tree [`Schema::parse`] builds from [`SCHEMA_JSON`], encoded (postcard): decoding it
/// costs a tenth of reading the JSON schema, which every run that checks a config paid. A test
/// checks it is the tree the vendored schema gives (and rewrites it with
/// `WORKERS_LSP_BLESS=1`); should it not decode, the JSON is read.
const TREE: &[u8] = include_bytes!("../../schema/wrangler-config-schema.tree");

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    Schema::decode(TREE)
        .or_else(|| Schema::parse(SCHEMA_JSON).ok())
        .unwrap_or_else(Schema::open)
});

/// The vendored schema, read on first use.
pub fn schema() -> &'static Schema {
    &SCHEMA
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
struct NodeId(u32);

/// Bits of what a schema node allows directly.
mod ty {
    pub const STRING: u8 = 1;
    pub const NUMBER: u8 = 2;
    pub const BOOL: u8 = 4;
    pub const NULL: u8 = 8;
    pub const ARRAY: u8 = 16;
    pub const OBJECT: u8 = 32;
    /// No constraint at all (`{}` or `true`).
    pub const ANY: u8 = 64;
}

/// What an object accepts besides its named properties.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
enum Extra {
    /// `additionalProperties: false`.
    Closed,
    /// Anything (`true`, `{}`, or absent).
    Any,
    /// Every other key, with values of this shape (`env`, `vars`, `exports`, ...).
    Values(NodeId),
}

/// One key of a table, as the schema documents it.
#[derive(Debug, Serialize, Deserialize)]
pub struct Prop {
    pub name: Box<str>,
    node: NodeId,
    /// `markdownDescription`, else `description`.
    pub doc: Option<Box<str>>,
    /// The deprecation note (`@deprecated` in wrangler's types).
    pub deprecated: Option<Box<str>>,
    pub required: bool,
}

#[derive(Debug, Serialize, Deserialize)]
struct Node {
    types: u8,
    /// Allowed string values (`enum` / `const`), when restricted.
    enum_values: Box<[Box<str>]>,
    /// Sorted by name.
    props: Box<[Prop]>,
    extra: Extra,
    items: Option<NodeId>,
    /// `anyOf` / `oneOf` / `allOf` / a `$ref`: read as a union.
    alts: Box<[NodeId]>,
    /// The node's own description (for a definition that a `$ref` names without one).
    doc: Option<Box<str>>,
}

impl Node {
    fn empty() -> Node {
        Node {
            types: 0,
            enum_values: Box::new([]),
            props: Box::new([]),
            extra: Extra::Any,
            items: None,
            alts: Box::new([]),
            doc: None,
        }
    }
}

/// The key tree.
#[derive(Debug, Serialize, Deserialize)]
pub struct Schema {
    nodes: Vec<Node>,
    root: NodeId,
}

/// The shape a value may have at some place of the config: the union of every schema
/// alternative that applies there.
#[derive(Clone, Debug)]
pub struct Shape<'s> {
    schema: &'s Schema,
    /// Concrete nodes (alternatives expanded), without duplicates.
    leaves: Vec<NodeId>,
}

/// Whether a table accepts a key.
#[derive(Debug)]
pub enum KeyStatus<'s> {
    /// A named key of the table.
    Known(&'s Prop),
    /// The table is a free-form map (or the schema says nothing about it): any key goes.
    Free,
    /// Not accepted.
    Unknown,
}

impl Schema {
    /// An empty schema that accepts everything (the fallback should the vendored file not
    /// parse).
    fn open() -> Schema {
        let mut any = Node::empty();
        any.types = ty::ANY;
        Schema {
            nodes: vec![any],
            root: NodeId(0),
        }
    }

    fn parse(text: &str) -> Result<Schema, serde_json::Error> {
        let doc: RawObject<'_> = serde_json::from_str(text)?;
        let mut b = Builder {
            defs: &doc.definitions,
            nodes: Vec::new(),
            by_def: HashMap::new(),
        };
        let root = b.node_of_object(&doc);
        Ok(Schema {
            nodes: b.nodes,
            root,
        })
    }

    /// The tree [`Schema::encode`] encoded, if it decodes to a whole one (every id names a
    /// node).
    fn decode(bytes: &[u8]) -> Option<Schema> {
        let s: Schema = postcard::from_bytes(bytes).ok()?;
        let n = s.nodes.len();
        let fits = |id: &NodeId| (id.0 as usize) < n;
        let whole = fits(&s.root)
            && s.nodes.iter().all(|node| {
                node.props.iter().all(|p| fits(&p.node))
                    && node.items.as_ref().is_none_or(fits)
                    && node.alts.iter().all(fits)
                    && match &node.extra {
                        Extra::Values(id) => fits(id),
                        Extra::Closed | Extra::Any => true,
                    }
            });
        whole.then_some(s)
    }

    /// The tree, encoded for [`TREE`].
    #[cfg(test)]
    fn encode(&self) -> Vec<u8> {
        postcard::to_allocvec(self).expect("a key tree encodes")
    }

    fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id.0 as usize]
    }

    fn shape(&self, ids: impl IntoIterator<Item = NodeId>) -> Shape<'_> {
        let mut leaves = Vec::new();
        let mut seen = Vec::new();
        for id in ids {
            self.expand(id, &mut leaves, &mut seen, 0);
        }
        Shape {
            schema: self,
            leaves,
        }
    }

    fn expand(&self, id: NodeId, leaves: &mut Vec<NodeId>, seen: &mut Vec<NodeId>, depth: u32) {
        if seen.contains(&id) || depth > 32 {
            return;
        }
        seen.push(id);
        let node = self.node(id);
        if node.types != 0 {
            leaves.push(id);
        }
        for &alt in node.alts.iter() {
            self.expand(alt, leaves, seen, depth + 1);
        }
    }

    /// The top level of a config.
    pub fn root(&self) -> Shape<'_> {
        self.shape([self.root])
    }

    /// A section: the top level (`None`) or `env.<E>`.
    pub fn section(&self, env: Option<&str>) -> Shape<'_> {
        match env {
            None => self.root(),
            Some(e) => self.root().child("env").child(e),
        }
    }

    /// The table a path of keys names (array elements are entered implicitly: the path of a
    /// `[[migrations]]` block is `["migrations"]`).
    pub fn table_at<S: AsRef<str>>(&self, path: &[S]) -> Shape<'_> {
        let mut shape = self.root();
        for seg in path {
            shape = shape.child(seg.as_ref()).element_table();
        }
        shape
    }
}

impl<'s> Shape<'s> {
    fn nodes(&self) -> impl Iterator<Item = &'s Node> + '_ {
        self.leaves.iter().map(|&id| self.schema.node(id))
    }

    fn types(&self) -> u8 {
        self.nodes().fold(0, |t, n| t | n.types)
    }

    /// Whether the schema constrains nothing here.
    pub fn is_any(&self) -> bool {
        self.leaves.is_empty() || self.types() & ty::ANY != 0
    }

    /// Whether a table (object) is allowed here.
    pub fn allows_table(&self) -> bool {
        self.is_any() || self.types() & ty::OBJECT != 0
    }

    /// Whether an array is allowed here.
    pub fn allows_array(&self) -> bool {
        self.is_any() || self.types() & ty::ARRAY != 0
    }

    fn tables(&self) -> impl Iterator<Item = &'s Node> + '_ {
        self.nodes().filter(|n| n.types & ty::OBJECT != 0)
    }

    /// Whether this table takes keys it does not name (a free-form map, or no schema).
    pub fn is_open(&self) -> bool {
        self.is_any() || self.tables().any(|n| n.extra != Extra::Closed)
    }

    /// The named key, from the first alternative that has it.
    pub fn prop(&self, key: &str) -> Option<&'s Prop> {
        self.tables().find_map(|n| {
            n.props
                .binary_search_by(|p| (*p.name).cmp(key))
                .ok()
                .map(|i| &n.props[i])
        })
    }

    pub fn key_status(&self, key: &str) -> KeyStatus<'s> {
        if let Some(p) = self.prop(key) {
            KeyStatus::Known(p)
        } else if self.is_open() {
            KeyStatus::Free
        } else {
            KeyStatus::Unknown
        }
    }

    /// Every named key of the table, sorted, each once.
    pub fn props(&self) -> Vec<&'s Prop> {
        let mut out: Vec<&'s Prop> = self.tables().flat_map(|n| n.props.iter()).collect();
        out.sort_by(|a, b| a.name.cmp(&b.name));
        out.dedup_by(|a, b| a.name == b.name);
        out
    }

    /// The shape of the value of `key` in this table.
    pub fn child(&self, key: &str) -> Shape<'s> {
        if self.is_any() {
            return self.schema.shape([]);
        }
        let mut ids = Vec::new();
        for n in self.tables() {
            match n.props.binary_search_by(|p| (*p.name).cmp(key)) {
                Ok(i) => ids.push(n.props[i].node),
                Err(_) => match n.extra {
                    Extra::Closed => {}
                    Extra::Any => return self.schema.shape([]),
                    Extra::Values(v) => ids.push(v),
                },
            }
        }
        self.schema.shape(ids)
    }

    /// The shape of the elements of an array here.
    pub fn items(&self) -> Shape<'s> {
        if self.is_any() {
            return self.schema.shape([]);
        }
        let mut ids = Vec::new();
        for n in self.nodes().filter(|n| n.types & ty::ARRAY != 0) {
            match n.items {
                Some(i) => ids.push(i),
                None => return self.schema.shape([]),
            }
        }
        self.schema.shape(ids)
    }

    /// The table a TOML header or a nested JSON object at this place opens: this shape when it
    /// is a table, else the elements of an array of tables (`[[migrations]]`).
    pub fn element_table(self) -> Shape<'s> {
        let mut shape = self;
        for _ in 0..4 {
            if shape.allows_table() || !shape.allows_array() {
                break;
            }
            shape = shape.items();
        }
        shape
    }

    /// A short type for people: `string`, `boolean`, `string | array of strings`, `"a" | "b"`.
    pub fn describe(&self) -> String {
        self.describe_depth(0)
    }

    fn describe_depth(&self, depth: u32) -> String {
        if self.is_any() {
            return "any value".into();
        }
        let mut parts: Vec<String> = Vec::new();
        let mut push = |p: String| {
            if !parts.contains(&p) {
                parts.push(p);
            }
        };
        for n in self.nodes() {
            if n.types & ty::STRING != 0 {
                if n.enum_values.is_empty() {
                    push("string".into());
                } else {
                    for v in n.enum_values.iter() {
                        push(format!("\"{v}\""));
                    }
                }
            }
            if n.types & ty::NUMBER != 0 {
                push("number".into());
            }
            if n.types & ty::BOOL != 0 {
                push("boolean".into());
            }
            if n.types & ty::NULL != 0 {
                push("null".into());
            }
            if n.types & ty::OBJECT != 0 {
                push(if n.extra != Extra::Closed && n.props.is_empty() {
                    "map".into()
                } else {
                    "table".into()
                });
            }
        }
        if self.types() & ty::ARRAY != 0 {
            let items = self.items();
            if depth < 2 && !items.is_any() {
                let inner = items.describe_depth(depth + 1);
                if inner.contains(" | ") {
                    parts.push(format!("array of ({inner})"));
                } else {
                    parts.push(format!("array of {inner}s"));
                }
            } else {
                parts.push("array".into());
            }
        }
        parts.join(" | ")
    }

    /// The shape's own documentation (a definition's description), when a key has none.
    fn doc(&self) -> Option<&'s str> {
        self.nodes().find_map(|n| n.doc.as_deref())
    }
}

impl Prop {
    /// The documentation of the key: its own, or that of the definition it refers to.
    pub fn documentation<'s>(&'s self, schema: &'s Schema) -> Option<&'s str> {
        self.doc
            .as_deref()
            .or_else(|| schema.shape([self.node]).doc())
    }

    /// The shape of the key's value.
    pub fn shape<'s>(&self, schema: &'s Schema) -> Shape<'s> {
        schema.shape([self.node])
    }
}

/// The JSON schema as written, read without building a generic JSON tree: the keywords the key
/// tree needs, borrowing the text where it can; every other keyword is skipped.
#[derive(Debug)]
enum RawSchema<'a> {
    /// `true` / `false`.
    Bool(bool),
    Object(Box<RawObject<'a>>),
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawObject<'a> {
    #[serde(rename = "$ref", borrow)]
    reference: Option<Cow<'a, str>>,
    #[serde(rename = "type")]
    types: OneOrMany<'a>,
    #[serde(rename = "anyOf")]
    any_of: Vec<RawSchema<'a>>,
    #[serde(rename = "oneOf")]
    one_of: Vec<RawSchema<'a>>,
    #[serde(rename = "allOf")]
    all_of: Vec<RawSchema<'a>>,
    #[serde(borrow)]
    properties: Option<BTreeMap<Cow<'a, str>, RawSchema<'a>>>,
    #[serde(borrow)]
    required: Vec<Cow<'a, str>>,
    #[serde(rename = "additionalProperties")]
    additional: Option<RawSchema<'a>>,
    items: Option<RawItems<'a>>,
    #[serde(rename = "enum")]
    enumeration: Option<Vec<Json>>,
    #[serde(rename = "const")]
    constant: Option<Json>,
    #[serde(rename = "markdownDescription", borrow)]
    markdown: Option<Cow<'a, str>>,
    #[serde(borrow)]
    description: Option<Cow<'a, str>>,
    deprecated: Option<Json>,
    #[serde(borrow)]
    definitions: BTreeMap<Cow<'a, str>, RawSchema<'a>>,
}

/// `"type": "string"` or `"type": ["number", "null"]`.
#[derive(Debug, Default)]
struct OneOrMany<'a>(Vec<Cow<'a, str>>);

/// `"items": {...}` or a tuple `"items": [{...}, ...]`.
#[derive(Debug)]
enum RawItems<'a> {
    One(RawSchema<'a>),
    Tuple(Vec<RawSchema<'a>>),
}

impl<'de: 'a, 'a> Deserialize<'de> for RawSchema<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawSchema<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON schema (an object or a boolean)")
            }
            fn visit_bool<E: de::Error>(self, b: bool) -> Result<Self::Value, E> {
                Ok(RawSchema::Bool(b))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                RawObject::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(|o| RawSchema::Object(Box::new(o)))
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for OneOrMany<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = OneOrMany<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a type name or a list of them")
            }
            fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Self::Value, E> {
                Ok(OneOrMany(vec![Cow::Borrowed(s)]))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
                Ok(OneOrMany(vec![Cow::Owned(s.to_string())]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(t) = seq.next_element::<Cow<'de, str>>()? {
                    out.push(t);
                }
                Ok(OneOrMany(out))
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for RawItems<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawItems<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON schema or a list of them")
            }
            fn visit_bool<E: de::Error>(self, b: bool) -> Result<Self::Value, E> {
                Ok(RawItems::One(RawSchema::Bool(b)))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                RawObject::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(|o| RawItems::One(RawSchema::Object(Box::new(o))))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(t) = seq.next_element::<RawSchema<'de>>()? {
                    out.push(t);
                }
                Ok(RawItems::Tuple(out))
            }
        }
        d.deserialize_any(V)
    }
}

struct Builder<'r, 'a> {
    defs: &'r BTreeMap<Cow<'a, str>, RawSchema<'a>>,
    nodes: Vec<Node>,
    by_def: HashMap<&'r str, NodeId>,
}

fn doc_of(o: &RawObject<'_>) -> Option<Box<str>> {
    o.markdown
        .as_deref()
        .or(o.description.as_deref())
        .map(Into::into)
}

impl<'r, 'a> Builder<'r, 'a> {
    fn alloc(&mut self) -> NodeId {
        self.nodes.push(Node::empty());
        NodeId(self.nodes.len() as u32 - 1)
    }

    fn node(&mut self, v: &'r RawSchema<'a>) -> NodeId {
        let id = self.alloc();
        self.fill(id, v);
        id
    }

    fn node_of_object(&mut self, o: &'r RawObject<'a>) -> NodeId {
        let id = self.alloc();
        self.fill_object(id, o);
        id
    }

    fn def(&mut self, reference: &'r str) -> NodeId {
        let name = reference
            .strip_prefix("#/definitions/")
            .unwrap_or(reference);
        if let Some(&id) = self.by_def.get(name) {
            return id;
        }
        let id = self.alloc();
        self.by_def.insert(name, id);
        match self.defs.get(name) {
            Some(v) => self.fill(id, v),
            // A dangling reference constrains nothing.
            None => self.nodes[id.0 as usize].types = ty::ANY,
        }
        id
    }

    fn fill(&mut self, id: NodeId, v: &'r RawSchema<'a>) {
        match v {
            RawSchema::Object(o) => self.fill_object(id, o),
            // `true` (`false` only appears as `additionalProperties`): no constraint.
            RawSchema::Bool(_) => self.nodes[id.0 as usize].types = ty::ANY,
        }
    }

    fn fill_object(&mut self, id: NodeId, m: &'r RawObject<'a>) {
        let mut node = Node::empty();
        node.doc = doc_of(m);
        let mut alts = Vec::new();
        if let Some(r) = &m.reference {
            alts.push(self.def(r));
        }
        for alt in m.any_of.iter().chain(&m.one_of).chain(&m.all_of) {
            alts.push(self.node(alt));
        }
        let mut types = 0u8;
        for t in &m.types.0 {
            types |= match t.as_ref() {
                "string" => ty::STRING,
                "number" | "integer" => ty::NUMBER,
                "boolean" => ty::BOOL,
                "null" => ty::NULL,
                "array" => ty::ARRAY,
                "object" => ty::OBJECT,
                _ => ty::ANY,
            };
        }
        let mut enum_values: Vec<Box<str>> = Vec::new();
        let values = m.enumeration.iter().flatten().chain(m.constant.as_ref());
        for value in values {
            types |= match value {
                Json::String(s) => {
                    enum_values.push(s.as_str().into());
                    ty::STRING
                }
                Json::Number(_) => ty::NUMBER,
                Json::Bool(_) => ty::BOOL,
                Json::Null => ty::NULL,
                _ => ty::ANY,
            };
        }
        if let Some(props) = &m.properties {
            types |= ty::OBJECT;
            // A BTreeMap: already sorted by name.
            node.props = props
                .iter()
                .map(|(name, schema)| {
                    let (doc, deprecated) = match schema {
                        RawSchema::Object(o) => (
                            doc_of(o),
                            match &o.deprecated {
                                Some(Json::String(s)) => Some(s.as_str().into()),
                                Some(Json::Bool(true)) => Some("".into()),
                                _ => None,
                            },
                        ),
                        RawSchema::Bool(_) => (None, None),
                    };
                    Prop {
                        name: name.as_ref().into(),
                        node: self.node(schema),
                        doc,
                        deprecated,
                        required: m.required.iter().any(|r| r == name),
                    }
                })
                .collect();
        }
        match &m.additional {
            Some(RawSchema::Bool(false)) => {
                types |= ty::OBJECT;
                node.extra = Extra::Closed;
            }
            Some(RawSchema::Bool(true)) | None => {}
            Some(schema) => {
                types |= ty::OBJECT;
                let values = self.node(schema);
                node.extra = if self.nodes[values.0 as usize].types == ty::ANY {
                    Extra::Any
                } else {
                    Extra::Values(values)
                };
            }
        }
        match &m.items {
            Some(RawItems::Tuple(tuple)) => {
                types |= ty::ARRAY;
                let union = self.alloc();
                let members: Vec<NodeId> = tuple.iter().map(|t| self.node(t)).collect();
                self.nodes[union.0 as usize].alts = members.into();
                node.items = Some(union);
            }
            Some(RawItems::One(items)) => {
                types |= ty::ARRAY;
                node.items = Some(self.node(items));
            }
            None => {}
        }
        if types == 0 && alts.is_empty() {
            types = ty::ANY;
        }
        node.types = types;
        node.enum_values = enum_values.into();
        node.alts = alts.into();
        self.nodes[id.0 as usize] = node;
    }
}

/// Whether `typed` is close enough to `valid` to be its misspelling: the same key but for case
/// or `-`/`_`, or at most 2 edits (a swap of neighbours counts as one) and at most a fifth of
/// the typed key's length.
pub fn is_near_miss(typed: &str, valid: &str) -> bool {
    if typed == valid {
        return false;
    }
    let fold = |s: &str| s.to_ascii_lowercase().replace('-', "_");
    if fold(typed) == fold(valid) {
        return true;
    }
    let d = strsim::osa_distance(typed, valid);
    d <= 2 && d * 5 <= typed.chars().count()
}

#[cfg(test)]
#[path = "schema_tests.rs"]
mod tests;
