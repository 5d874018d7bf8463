//! The SimPy printer: the paper's canonical form (grammar/SPEC.md), with comments kept.
//!
//! Statements are written back to back: `<line_sep>` only between two statements that would
//! otherwise touch, blocks as `<block_start> … <block_end>`. Comments are `#text` and a newline,
//! placed as the Python printer places them: a comment that trails code follows that code, a
//! comment on its own line follows a separator, so the decoder can tell the two apart.

mod expr;

use expr::Writer;
use simpy_ast::precedence::Prec;
use simpy_ast::*;

/// Prints a module as canonical SimPy with `comments` (pass none to leave them out).
pub fn print_simpy(module: &ModModule, comments: &Comments) -> String {
    let mut printer = Printer {
        w: Writer::default(),
        comments: &comments.items,
        next_comment: 0,
        open: false,
        leading_comments_end: 0,
    };
    printer.block(&module.body, u32::MAX);
    printer.flush_comments_before(u32::MAX);
    printer.w.out
}

struct Printer<'c> {
    w: Writer,
    comments: &'c [Comment],
    next_comment: usize,
    /// The last thing written was a simple statement: another one needs a `<line_sep>` first.
    open: bool,
    /// Where the comments before any code end: those may be coding declarations.
    leading_comments_end: usize,
}

/// Where a statement's own text starts: decorators come before `def`.
fn start_of(stmt: &Stmt) -> u32 {
    let decorators = match stmt {
        Stmt::FunctionDef(f) => f.decorator_list.first(),
        Stmt::ClassDef(c) => c.decorator_list.first(),
        _ => None,
    };
    decorators.map_or(stmt.range().start, |d| {
        d.range().start.min(stmt.range().start)
    })
}

/// The special token a statement is written with first, if it starts with one. Exhaustive, so
/// a new statement kind has to say.
fn first_token(stmt: &Stmt) -> Option<Special> {
    let async_or = |is_async: bool, token| {
        Some(if is_async {
            Special::AsyncKeyword
        } else {
            token
        })
    };
    match stmt {
        // Decorators come first, with `@`.
        Stmt::FunctionDef(f) if !f.decorator_list.is_empty() => None,
        Stmt::ClassDef(c) if !c.decorator_list.is_empty() => None,
        Stmt::FunctionDef(f) => async_or(f.is_async, Special::DefStmt),
        Stmt::ClassDef(_) => Some(Special::ClassStmt),
        Stmt::For(s) => async_or(s.is_async, Special::ForStmt),
        Stmt::With(s) => async_or(s.is_async, Special::WithStmt),
        Stmt::If(_) => Some(Special::IfStmt),
        Stmt::While(_) => Some(Special::WhileStmt),
        Stmt::Try(_) => Some(Special::TryStmt),
        Stmt::Match(_) => Some(Special::MatchStmt),
        Stmt::Import(_) => Some(Special::ImportStmt),
        Stmt::ImportFrom(s)
            if s.level == 0 && s.module.as_ref().is_some_and(|m| &*m.id == "__future__") =>
        {
            Some(Special::ImportFromFutureStmt)
        }
        Stmt::ImportFrom(_) => Some(Special::ImportFromStmt),
        Stmt::Delete(_) => Some(Special::DelStmt),
        Stmt::Assert(_) => Some(Special::AssertStmt),
        Stmt::TypeAlias(_) => Some(Special::TypeStmt),
        Stmt::Return(_) => Some(Special::Return),
        Stmt::Raise(_) => Some(Special::Raise),
        Stmt::Global(_) => Some(Special::Global),
        Stmt::Nonlocal(_) => Some(Special::Nonlocal),
        Stmt::Pass(_) => Some(Special::Pass),
        Stmt::Break(_) => Some(Special::Break),
        Stmt::Continue(_) => Some(Special::Continue),
        Stmt::Assign(_) | Stmt::AugAssign(_) | Stmt::AnnAssign(_) | Stmt::Expr(_) => None,
    }
}

/// Whether a statement's first token delimits by itself (`<if_stmt>`, `<import_stmt>`, …),
/// so that no `<line_sep>` is needed before it.
fn starts_with_delimiter(stmt: &Stmt) -> bool {
    first_token(stmt).is_some_and(Special::starts_statement)
}

impl Printer<'_> {
    fn separate(&mut self) {
        if self.open {
            self.w.push(Special::LineSep.text());
            self.open = false;
        }
    }

    /// Every pending comment that starts before `pos`, each after a separator so that it
    /// reads back as a comment on its own line.
    fn flush_comments_before(&mut self, pos: u32) {
        while let Some(c) = self
            .comments
            .get(self.next_comment)
            .filter(|c| c.range.start < pos)
        {
            self.separate();
            self.comment(c);
        }
    }

    fn comment(&mut self, c: &Comment) {
        // SimPy is UTF-8, so a coding declaration (first two lines, before any code) must say so.
        let leading = self.w.out.len() == self.leading_comments_end && self.next_comment < 2;
        if leading {
            self.w.push(&crate::python::declare_utf8(&c.text));
        } else {
            self.w.push(&c.text);
        }
        self.w.push("\n");
        self.next_comment += 1;
        if leading {
            self.leading_comments_end = self.w.out.len();
        }
    }

    /// The next comment, if it trails code and `trails` says it belongs to what was just written.
    fn trailing_comment(&mut self, trails: impl Fn(&Comment) -> bool) {
        if let Some(c) = self
            .comments
            .get(self.next_comment)
            .filter(|c| !c.own_line && trails(c))
        {
            self.comment(c);
        }
    }

    fn block(&mut self, body: &[Stmt], end: u32) {
        for (i, stmt) in body.iter().enumerate() {
            let next = body.get(i + 1).map_or(end, start_of);
            self.statement(stmt, next);
        }
    }

    /// `<block_start>` body `<block_end>`; `end` is where whatever follows the body begins.
    fn body(&mut self, body: &[Stmt], end: u32) {
        self.w.push(Special::BlockStart.text());
        self.open = false;
        self.block(body, end);
        self.w.push(Special::BlockEnd.text());
        self.open = false;
    }

    /// A header (`<if_stmt>test`, `<else_stmt>`), a comment trailing it, then its body.
    fn header(&mut self, body: &[Stmt], end: u32, write: impl FnOnce(&mut Writer)) {
        write(&mut self.w);
        let body_start = body.first().map_or(end, start_of);
        self.trailing_comment(|c| c.range.start < body_start);
        self.body(body, end);
    }

    fn statement(&mut self, stmt: &Stmt, next: u32) {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.statement_inner(stmt, next))
    }

    fn statement_inner(&mut self, stmt: &Stmt, next: u32) {
        self.flush_comments_before(start_of(stmt));
        if !starts_with_delimiter(stmt) {
            self.separate();
        }
        match stmt {
            Stmt::FunctionDef(f) => self.function_def(f, next),
            Stmt::ClassDef(c) => self.class_def(c, next),
            Stmt::If(s) => self.if_statement(s, next, Special::IfStmt.text()),
            Stmt::For(s) => {
                let orelse_start = s.orelse.first().map_or(next, start_of);
                self.header(&s.body, orelse_start, |w| {
                    if s.is_async {
                        w.push(Special::AsyncKeyword.text());
                    }
                    w.push(Special::ForStmt.text());
                    w.target_list(&s.target);
                    w.push(" ");
                    w.expr_or_bare_tuple(&s.iter);
                });
                self.orelse(&s.orelse, next);
            }
            Stmt::While(s) => {
                let orelse_start = s.orelse.first().map_or(next, start_of);
                self.header(&s.body, orelse_start, |w| {
                    w.push(Special::WhileStmt.text());
                    w.expr(&s.test, Prec::Yield);
                });
                self.orelse(&s.orelse, next);
            }
            Stmt::With(s) => self.header(&s.body, next, |w| {
                if s.is_async {
                    w.push(Special::AsyncKeyword.text());
                }
                w.push(Special::WithStmt.text());
                for (i, item) in s.items.iter().enumerate() {
                    if i > 0 {
                        w.push(" ");
                    }
                    w.expr(&item.context_expr, Prec::IfExp);
                    if let Some(target) = &item.optional_vars {
                        w.push(Special::As.text());
                        w.expr(target, Prec::Atom);
                    }
                }
            }),
            Stmt::Try(s) => self.try_statement(s, next),
            Stmt::Match(s) => {
                self.w.push(Special::MatchStmt.text());
                self.w.expr_or_bare_tuple(&s.subject);
                let first_case = s.cases.first().map_or(next, |c| c.range.start);
                self.trailing_comment(|c| c.range.start < first_case);
                self.w.push(Special::BlockStart.text());
                self.open = false;
                for (i, case) in s.cases.iter().enumerate() {
                    let case_end = s.cases.get(i + 1).map_or(next, |c| c.range.start);
                    self.flush_comments_before(case.range.start);
                    self.header(&case.body, case_end, |w| {
                        w.push(Special::CaseStmt.text());
                        w.pattern(&case.pattern, false);
                        if let Some(guard) = &case.guard {
                            w.push(Special::If.text());
                            w.expr(guard, Prec::Yield);
                        }
                    });
                }
                self.w.push(Special::BlockEnd.text());
                self.open = false;
            }
            _ => {
                // Comments inside a statement that spans lines move before it.
                self.flush_comments_before(stmt.range().end);
                if !starts_with_delimiter(stmt) {
                    self.separate();
                }
                self.w.simple_statement(stmt);
                let end = stmt.range().end;
                self.trailing_comment(|c| c.line_start <= end && c.range.start < next);
                self.open = true;
            }
        }
    }

    fn orelse(&mut self, orelse: &[Stmt], next: u32) {
        if !orelse.is_empty() {
            self.header(orelse, next, |w| w.push(Special::ElseStmt.text()));
        }
    }

    fn decorators(&mut self, decorators: &[Expr]) {
        for (i, d) in decorators.iter().enumerate() {
            self.flush_comments_before(d.range().start);
            if i > 0 {
                self.separate();
            }
            self.w.push("@");
            self.w.expr(d, Prec::Yield);
            let end = d.range().end;
            self.trailing_comment(|c| c.line_start <= end);
            self.open = true;
        }
        // `<def_stmt>` and `<class_stmt>` delimit; a comment before them needs the separator.
        self.open = false;
    }

    fn function_def(&mut self, f: &StmtFunctionDef, next: u32) {
        self.decorators(&f.decorator_list);
        self.header(&f.body, next, |w| {
            if f.is_async {
                w.push(Special::AsyncKeyword.text());
            }
            w.push(Special::DefStmt.text());
            w.push(&f.name.id);
            w.type_params(&f.type_params);
            w.push(" ");
            w.parameters(&f.args, true);
            if let Some(returns) = &f.returns {
                w.push(Special::Arrow.text());
                w.expr(returns, Prec::Lambda);
            }
        });
    }

    fn class_def(&mut self, c: &StmtClassDef, next: u32) {
        self.decorators(&c.decorator_list);
        self.header(&c.body, next, |w| {
            w.push(Special::ClassStmt.text());
            w.push(&c.name.id);
            w.type_params(&c.type_params);
            if !c.bases.is_empty() || !c.keywords.is_empty() {
                w.call_arguments(&c.bases, &c.keywords);
            }
        });
    }

    fn if_statement(&mut self, s: &StmtIf, next: u32, keyword: &'static str) {
        let orelse_start = s.orelse.first().map_or(next, start_of);
        self.header(&s.body, orelse_start, |w| {
            w.push(keyword);
            w.expr(&s.test, Prec::Yield);
        });
        match &s.orelse[..] {
            [] => {}
            [Stmt::If(inner)] => self.if_statement(inner, next, Special::ElifStmt.text()),
            orelse => self.header(orelse, next, |w| w.push(Special::ElseStmt.text())),
        }
    }

    fn try_statement(&mut self, s: &StmtTry, next: u32) {
        let orelse_start = s.orelse.first().map(start_of);
        let final_start = s.finalbody.first().map(start_of);
        let after_handlers = orelse_start.or(final_start).unwrap_or(next);
        let after_body = s.handlers.first().map_or(after_handlers, |h| h.range.start);
        self.header(&s.body, after_body, |w| w.push(Special::TryStmt.text()));
        for (i, h) in s.handlers.iter().enumerate() {
            let end = s
                .handlers
                .get(i + 1)
                .map_or(after_handlers, |h| h.range.start);
            self.header(&h.body, end, |w| {
                w.push(if s.is_star {
                    Special::ExceptGroupStmt.text()
                } else {
                    Special::ExceptStmt.text()
                });
                if let Some(t) = &h.type_ {
                    w.expr(t, Prec::IfExp);
                }
                if let Some(name) = &h.name {
                    w.push(Special::As.text());
                    w.push(&name.id);
                }
            });
        }
        if !s.orelse.is_empty() {
            self.header(&s.orelse, final_start.unwrap_or(next), |w| {
                w.push(Special::ElseStmt.text())
            });
        }
        if !s.finalbody.is_empty() {
            self.header(&s.finalbody, next, |w| w.push(Special::FinallyStmt.text()));
        }
    }
}
