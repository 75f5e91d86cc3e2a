//! Helpers every TypeScript front-end builds its worker model with.

use super::expr::Expr;
use super::program::Program;
use crate::base::{Spanned, TextRange};
use std::path::Path;

/// Collects a declaration's model values and which of their spans only reference a value.
pub struct Builder<'p> {
    pub program: &'p Program,
    /// The declaring module: every span of the model is in it.
    pub file: &'p Path,
    pub derived: Vec<TextRange>,
}

impl<'p> Builder<'p> {
    pub fn new(program: &'p Program, file: &'p Path) -> Self {
        Builder {
            program,
            file,
            derived: Vec::new(),
        }
    }

    /// The string an expression of the declaring module is known to be, with a span in that
    /// module: the literal's own span when it is spelt here, else the expression's (marked
    /// derived, so renames leave it alone). `None` when the value is unknown.
    pub fn string(&mut self, expr: &Expr) -> Option<Spanned<String>> {
        let v = self.program.string(self.file, expr)?;
        match v.literal {
            Some((f, range)) if f == self.file => Some(Spanned::new(v.value, range)),
            _ => Some(self.derive(v.value, expr.range())),
        }
    }

    /// A value known by other means (a worker's name reached through a reference), spanned
    /// at the reference.
    pub fn derive(&mut self, value: String, range: TextRange) -> Spanned<String> {
        self.derived.push(range);
        Spanned::new(value, range)
    }

    /// The expression an identifier of the declaring module stands for, and its module.
    pub fn deref(&self, expr: &'p Expr) -> (&'p Path, &'p Expr) {
        self.program.deref(self.file, expr)
    }
}
