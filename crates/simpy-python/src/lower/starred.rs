//! Where a starred expression may stand. tree-sitter reads `*a` as an operand anywhere
//! (`a + *b`, `x = *a`, `*a = b`); Python takes it only as an element of a tuple, list or set,
//! an argument of a call or class, the annotation of `*args` and the default of `*Ts`.
//! `ast.parse` itself lets a few of the rest through and leaves them to the compiler (`*a`,
//! `x = *a`, `for x in *a:`); no program holds them and SimPy has no spelling for them, so
//! they are refused here too, with the compiler's message.
//!
//! A star pattern (`*rest`) stands only as an element of a sequence pattern; tree-sitter, and
//! SimPy's grammar, take it as any pattern (`case *a:`, `case 1 | *a:`), which Python refuses.

use simpy_ast::*;

use super::Result;
use crate::error::{ParseError, ParseErrorKind};

pub(crate) fn check(module: &ModModule) -> Result<()> {
    check_with(module, None)
}

/// [`check`] for a module read from `src`, where a statement whose text holds no `*` holds
/// no starred expression or pattern either, and is not walked.
pub(crate) fn check_source(module: &ModModule, src: &str) -> Result<()> {
    check_with(module, Some(src))
}

fn check_with(module: &ModModule, src: Option<&str>) -> Result<()> {
    let mut check = Check {
        src,
        allowed: false,
        star_pattern_allowed: false,
        starred_in_place: Vec::new(),
        error: None,
    };
    walk_module(&mut check, module);
    check.error.map_or(Ok(()), Err)
}

/// Whether `stmt`'s text in `src`, decorators included, has no `*`.
fn starless(stmt: &Stmt, src: &str) -> bool {
    let decorators = match stmt {
        Stmt::FunctionDef(s) => &s.decorator_list[..],
        Stmt::ClassDef(s) => &s.decorator_list[..],
        _ => &[],
    };
    let range = stmt.range();
    let start = decorators
        .iter()
        .map(|d| d.range().start)
        .fold(range.start, u32::min);
    src.get(start as usize..range.end as usize)
        .is_some_and(|text| memchr::memchr(b'*', text.as_bytes()).is_none())
}

struct Check<'a> {
    /// The module's text, if known.
    src: Option<&'a str>,
    /// Whether the expression being visited is an element or argument that may be starred.
    allowed: bool,
    /// Whether the pattern being visited is an element of a sequence pattern.
    star_pattern_allowed: bool,
    /// Expressions of the statements being visited that may be starred themselves: the
    /// annotation of `*args` (`*args: *Ts`, PEP 646), the default of `*Ts` (`*Ts = *tuple[int]`,
    /// PEP 696) and a class's bases.
    starred_in_place: Vec<&'a Expr>,
    error: Option<ParseError>,
}

impl<'a> Visitor<'a> for Check<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if self.src.is_some_and(|src| starless(stmt, src)) {
            return;
        }
        let (type_params, vararg) = match stmt {
            Stmt::FunctionDef(s) => (&s.type_params[..], s.args.vararg.as_deref()),
            Stmt::ClassDef(s) => (&s.type_params[..], None),
            Stmt::TypeAlias(s) => (&s.type_params[..], None),
            _ => (&[][..], None),
        };
        let before = self.starred_in_place.len();
        let tuple_defaults = type_params.iter().filter_map(|p| match p {
            TypeParam::TypeVarTuple(t) => t.default_value.as_deref(),
            _ => None,
        });
        let annotation = vararg.and_then(|v| v.annotation.as_deref());
        // A class's bases may be starred (`class A(*bases)`); its decorators and keyword
        // values may not.
        let bases = match stmt {
            Stmt::ClassDef(s) => &s.bases[..],
            _ => &[],
        };
        self.starred_in_place
            .extend(tuple_defaults.chain(annotation).chain(bases));
        let outer = std::mem::replace(&mut self.allowed, false);
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || walk_stmt(self, stmt));
        self.allowed = outer;
        self.starred_in_place.truncate(before);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.error.is_some() {
            return;
        }
        if let Expr::Starred(starred) = expr {
            let in_place = self.starred_in_place.iter().any(|e| std::ptr::eq(*e, expr));
            if !self.allowed && !in_place {
                let kind = match starred.ctx {
                    ExprContext::Store => ParseErrorKind::StarredTarget,
                    _ => ParseErrorKind::StarredHere,
                };
                self.error = Some(ParseError::new(kind, starred.range));
                return;
            }
        }
        let outer = self.allowed;
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || match expr {
            // Only a call's positional arguments may be starred: tree-sitter reads `f(***d)`
            // as `**` of `*d`, a keyword whose value is starred, which Python refuses.
            Expr::Call(call) => {
                self.allowed = false;
                self.visit_expr(&call.func);
                self.allowed = true;
                call.args.iter().for_each(|arg| self.visit_expr(arg));
                self.allowed = false;
                call.keywords.iter().for_each(|k| self.visit_expr(&k.value));
            }
            _ => {
                self.allowed = matches!(expr, Expr::Tuple(_) | Expr::List(_) | Expr::Set(_));
                walk_expr(self, expr);
            }
        });
        self.allowed = outer;
    }

    fn visit_pattern(&mut self, pattern: &'a Pattern) {
        if self.error.is_some() {
            return;
        }
        if let Pattern::MatchStar(star) = pattern {
            if !self.star_pattern_allowed {
                let what = "a star pattern stands only in a sequence pattern (`[a, *rest]`)";
                self.error = Some(ParseError::new(
                    ParseErrorKind::InvalidPattern(what.into()),
                    star.range,
                ));
                return;
            }
        }
        let sequence = matches!(pattern, Pattern::MatchSequence(_));
        let outer = std::mem::replace(&mut self.star_pattern_allowed, sequence);
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || walk_pattern(self, pattern));
        self.star_pattern_allowed = outer;
    }
}
