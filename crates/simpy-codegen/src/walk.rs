//! The one walk over statements and comments, for Python and SimPy alike. Each statement is
//! one or more logical lines written by an expression `Writer`; blocks, separators, blank
//! lines and where comments go are asked of `differences.rs`.

use crate::differences::Flavor;
use crate::expr::Writer;
use crate::line::Line;
use crate::Literals;
use simpy_ast::precedence::Prec;
use simpy_ast::*;

pub(crate) fn print(
    flavor: Flavor,
    module: &ModModule,
    comments: &Comments,
    source: Option<&str>,
    levels: usize,
) -> String {
    let mut printer = Printer::new(flavor, &comments.items, source);
    printer.indent = levels;
    printer.module(module)
}

/// SimPy printed a run of top-level statements at a time (a big file's parts, so that no more
/// than two parts' trees are held): the same text as printing them all at once. A part is
/// printed when the next one arrives, whose first statement bounds it, with the comments
/// before that statement.
#[derive(Default)]
pub struct SimpyParts {
    /// How its literals are spelt.
    pub literals: Literals,
    out: String,
    open: bool,
    leading_comments_end: usize,
    /// Comments printed so far.
    comments_before: usize,
    held: Vec<Stmt>,
    comments: std::collections::VecDeque<Comment>,
}

impl SimpyParts {
    /// The next run of top-level statements and the comments of its text, in file order.
    pub fn push(&mut self, body: Vec<Stmt>, comments: &[Comment]) {
        self.comments.extend(comments.iter().cloned());
        if let Some(first) = body.first() {
            let end = start_of(first);
            let held = std::mem::replace(&mut self.held, body);
            self.print(&held, end);
        }
    }

    /// The text, the last part printed to the end of the file.
    pub fn finish(mut self) -> String {
        let held = std::mem::take(&mut self.held);
        self.print(&held, u32::MAX);
        self.out
    }

    fn print(&mut self, body: &[Stmt], end: u32) {
        let count = self.comments.partition_point(|c| c.range.start < end);
        let comments: Vec<Comment> = self.comments.drain(..count).collect();
        let mut printer = Printer::new(Flavor::Simpy, &comments, None);
        printer.literals = self.literals;
        printer.out = std::mem::take(&mut self.out);
        printer.open = self.open;
        printer.leading_comments_end = self.leading_comments_end;
        printer.comments_before = self.comments_before;
        printer.block(body, end);
        printer.flush_comments_before(end);
        self.out = printer.out;
        self.open = printer.open;
        self.leading_comments_end = printer.leading_comments_end;
        self.comments_before += comments.len();
    }
}

pub(crate) struct Printer<'c> {
    pub flavor: Flavor,
    /// SimPy: how literals are spelt.
    pub literals: Literals,
    pub out: String,
    /// Python's indentation level.
    pub indent: usize,
    pub comments: &'c [Comment],
    pub next_comment: usize,
    /// The text the tree was parsed from, for blank lines and comments that end a block.
    source: Option<&'c str>,
    /// SimPy: the last thing written was a line of code; another needs a `<line_sep>` first.
    pub open: bool,
    /// Where the comments before any code end: those may be coding declarations.
    pub leading_comments_end: usize,
    /// The comments of earlier parts ([`SimpyParts`]): `comments` holds this part's.
    pub comments_before: usize,
    scratch: Line,
}

/// Definitions get blank lines around them (two at the top level, one inside).
fn is_definition(stmt: &Stmt) -> bool {
    matches!(stmt, Stmt::FunctionDef(_) | Stmt::ClassDef(_))
}

/// The most blank lines between two statements `indent` blocks deep.
fn most_blank_lines(indent: usize) -> usize {
    if indent == 0 {
        2
    } else {
        1
    }
}

/// The blank lines before `stmt`, `indent` blocks deep, where it or the statement before it
/// is a definition; `None` where the source decides.
pub(crate) fn blank_lines_around_definitions(
    previous_is_definition: bool,
    stmt: &Stmt,
    indent: usize,
) -> Option<usize> {
    (previous_is_definition || is_definition(stmt)).then(|| most_blank_lines(indent))
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

impl<'c> Printer<'c> {
    pub(crate) fn new(flavor: Flavor, comments: &'c [Comment], source: Option<&'c str>) -> Self {
        Printer {
            flavor,
            literals: Literals::Kept,
            out: String::new(),
            indent: 0,
            comments,
            next_comment: 0,
            source,
            open: false,
            leading_comments_end: 0,
            comments_before: 0,
            scratch: Line::default(),
        }
    }

    /// The module's statements at the printer's level, then the comments after them.
    pub(crate) fn module(mut self, module: &ModModule) -> String {
        self.block(&module.body, u32::MAX);
        // Comments after the last statement end the module, outside every block.
        self.indent = 0;
        self.flush_comments_before(u32::MAX);
        self.out
    }

    /// Prints every pending comment that starts before `pos`, each on its own line.
    fn flush_comments_before(&mut self, pos: u32) {
        while let Some(c) = self
            .comments
            .get(self.next_comment)
            .filter(|c| c.range.start < pos)
        {
            self.own_line_comment(c);
        }
    }

    /// A logical line written by `write`, in the buffer of the last one (hand it back with
    /// `done_with`): most statements are short, and allocating for each was a tenth of
    /// encode's printing time.
    fn line(&mut self, write: impl FnOnce(&mut Writer<'_>)) -> Line {
        let mut line = std::mem::take(&mut self.scratch);
        line.text.clear();
        line.groups.clear();
        let mut writer = Writer::new(&mut line, self.flavor);
        writer.literals = self.literals;
        write(&mut writer);
        line
    }

    fn done_with(&mut self, line: Line) {
        self.scratch = line;
    }

    /// A block of statements; `end` is where the enclosing construct's next part begins.
    fn block(&mut self, body: &[Stmt], end: u32) {
        for (i, stmt) in body.iter().enumerate() {
            if i > 0 {
                self.blank_lines(&body[i - 1], stmt);
            }
            let next = body.get(i + 1).map_or(end, start_of);
            self.statement(stmt, next);
        }
    }

    /// How many blank lines go between two statements of a block: as many as the source has
    /// (at most two at the top level, one inside), and that many around definitions.
    pub fn blank_lines_between(&self, previous: &Stmt, stmt: &Stmt) -> usize {
        match blank_lines_around_definitions(is_definition(previous), stmt, self.indent) {
            Some(lines) => lines,
            None => self
                .source_blank_lines(previous.range().end, start_of(stmt))
                .min(most_blank_lines(self.indent)),
        }
    }

    /// How many empty lines the source has between `from` and `to`.
    fn source_blank_lines(&self, from: u32, to: u32) -> usize {
        let Some(text) = self.source.and_then(|s| s.get(from as usize..to as usize)) else {
            return 0;
        };
        // The first piece ends the previous statement's line, the last starts the next one's.
        let lines: Vec<&str> = text.split('\n').collect();
        match lines.len() {
            0..=2 => 0,
            n => lines[1..n - 1]
                .iter()
                .filter(|line| line.trim().is_empty())
                .count(),
        }
    }

    /// The body of a header, as a block; `end` is where whatever follows the body begins.
    fn body(&mut self, body: &[Stmt], end: u32) {
        self.open_block();
        self.block(body, end);
        // Own-line comments indented as deep as the block end it, rather than what follows.
        if let (Some(source), Some(first), Some(last)) = (self.source, body.first(), body.last()) {
            let start = start_of(first) as usize;
            let block_column = start - source[..start].rfind('\n').map_or(0, |i| i + 1);
            while let Some(c) = self.comments.get(self.next_comment) {
                let column = (c.range.start - c.line_start) as usize;
                let after_block = &source[(last.range().end as usize).min(c.range.start as usize)
                    ..c.range.start as usize];
                // Only comments before any further code (such as an `else:` line) end the block.
                let only_comments = after_block
                    .lines()
                    .all(|line| line.trim().is_empty() || line.trim_start().starts_with('#'));
                if !c.own_line || c.range.start >= end || column < block_column || !only_comments {
                    break;
                }
                self.flush_comments_before(c.range.start + 1);
            }
        }
        self.close_block();
    }

    /// A header line (`if …:`, or a clause such as `else:`), then its body. Comments between
    /// the previous block and a clause follow the clause's header, so that printing twice gives
    /// the same text.
    fn header(&mut self, body: &[Stmt], end: u32, write: impl FnOnce(&mut Writer<'_>)) {
        let body_start = body.first().map_or(end, start_of);
        self.header_line(body_start, write);
        self.body(body, end);
    }

    /// A header's own line, with a comment trailing it.
    fn header_line(&mut self, body_start: u32, write: impl FnOnce(&mut Writer<'_>)) {
        let mut line = self.line(write);
        self.end_header(&mut line);
        self.emit_line(&line, |c| c.range.start < body_start);
        self.done_with(line);
    }

    fn statement(&mut self, stmt: &Stmt, next: u32) {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.statement_inner(stmt, next))
    }

    fn statement_inner(&mut self, stmt: &Stmt, next: u32) {
        self.flush_comments_before(start_of(stmt));
        match stmt {
            Stmt::FunctionDef(f) => self.function_def(f, next),
            Stmt::ClassDef(c) => self.class_def(c, next),
            Stmt::If(s) => self.if_statement(s, next, Special::IfStmt),
            Stmt::For(s) => {
                let orelse_start = s.orelse.first().map_or(next, start_of);
                self.header(&s.body, orelse_start, |w| {
                    if s.is_async {
                        w.token(Special::AsyncKeyword);
                        w.space();
                    }
                    w.token(Special::ForStmt);
                    w.space();
                    w.target(&s.target, false);
                    w.in_of_for();
                    w.expr_or_bare_tuple(&s.iter);
                });
                self.orelse(&s.orelse, next);
            }
            Stmt::While(s) => {
                let orelse_start = s.orelse.first().map_or(next, start_of);
                self.header(&s.body, orelse_start, |w| {
                    w.token(Special::WhileStmt);
                    w.space();
                    w.expr(&s.test, Prec::Yield);
                });
                self.orelse(&s.orelse, next);
            }
            Stmt::With(s) => self.header(&s.body, next, |w| {
                if s.is_async {
                    w.token(Special::AsyncKeyword);
                    w.space();
                }
                w.token(Special::WithStmt);
                w.space();
                w.separated(&s.items, |w, item| {
                    w.expr(&item.context_expr, Prec::IfExp);
                    if let Some(target) = &item.optional_vars {
                        w.space();
                        w.token(Special::As);
                        w.space();
                        w.expr(target, Prec::Atom);
                    }
                });
            }),
            Stmt::Try(s) => self.try_statement(s, next),
            Stmt::Match(s) => {
                let first_case = s.cases.first().map_or(next, |c| c.range.start);
                self.header_line(first_case, |w| {
                    w.token(Special::MatchStmt);
                    w.space();
                    w.expr_or_bare_tuple(&s.subject);
                });
                self.open_block();
                for (i, case) in s.cases.iter().enumerate() {
                    let case_end = s.cases.get(i + 1).map_or(next, |c| c.range.start);
                    self.flush_comments_before(case.range.start);
                    self.header(&case.body, case_end, |w| {
                        w.token(Special::CaseStmt);
                        w.space();
                        w.pattern(&case.pattern, false);
                        if let Some(guard) = &case.guard {
                            w.space();
                            w.token(Special::If);
                            w.space();
                            w.expr(guard, Prec::Yield);
                        }
                    });
                }
                self.close_block();
            }
            _ => self.simple(stmt, next),
        }
    }

    fn simple(&mut self, stmt: &Stmt, next: u32) {
        // Comments inside a statement that spans lines move to the line before it.
        self.flush_comments_before(stmt.range().end);
        let line = self.line(|w| w.simple_statement(stmt));
        let line = self.split_long_import(stmt, line);
        let end = stmt.range().end;
        self.emit_line(&line, |c| c.line_start <= end && c.range.start < next);
        self.done_with(line);
    }

    fn orelse(&mut self, orelse: &[Stmt], next: u32) {
        if !orelse.is_empty() {
            self.header(orelse, next, |w| w.token(Special::ElseStmt));
        }
    }

    fn decorators(&mut self, decorators: &[Expr]) {
        for d in decorators {
            self.flush_comments_before(d.range().start);
            let line = self.line(|w| {
                w.push("@");
                w.expr(d, Prec::Yield);
            });
            let end = d.range().end;
            self.emit_line(&line, |c| c.line_start <= end);
            self.done_with(line);
        }
    }

    fn function_def(&mut self, f: &StmtFunctionDef, next: u32) {
        self.decorators(&f.decorator_list);
        self.header(&f.body, next, |w| {
            if f.is_async {
                w.token(Special::AsyncKeyword);
                w.space();
            }
            w.token(Special::DefStmt);
            w.space();
            w.push(&f.name.id);
            w.type_params(&f.type_params);
            w.def_parameters(&f.args);
            if let Some(returns) = &f.returns {
                w.space();
                w.token(Special::Arrow);
                w.space();
                w.expr(returns, Prec::Lambda);
            }
        });
    }

    fn class_def(&mut self, c: &StmtClassDef, next: u32) {
        self.decorators(&c.decorator_list);
        self.header(&c.body, next, |w| {
            w.token(Special::ClassStmt);
            w.space();
            w.push(&c.name.id);
            w.type_params(&c.type_params);
            if !c.bases.is_empty() || !c.keywords.is_empty() {
                w.call_arguments(&c.bases, &c.keywords);
            }
        });
    }

    fn if_statement(&mut self, s: &StmtIf, next: u32, keyword: Special) {
        let orelse_start = s.orelse.first().map_or(next, start_of);
        self.header(&s.body, orelse_start, |w| {
            w.token(keyword);
            w.space();
            w.expr(&s.test, Prec::Yield);
        });
        match &s.orelse[..] {
            [] => {}
            // `else: if …` with nothing else in the `else` reads as `elif`.
            [Stmt::If(inner)] => self.if_statement(inner, next, Special::ElifStmt),
            orelse => self.orelse(orelse, next),
        }
    }

    fn try_statement(&mut self, s: &StmtTry, next: u32) {
        let orelse_start = s.orelse.first().map(start_of);
        let final_start = s.finalbody.first().map(start_of);
        let after_handlers = orelse_start.or(final_start).unwrap_or(next);
        let after_body = s.handlers.first().map_or(after_handlers, |h| h.range.start);
        self.header(&s.body, after_body, |w| w.token(Special::TryStmt));
        for (i, h) in s.handlers.iter().enumerate() {
            let end = s
                .handlers
                .get(i + 1)
                .map_or(after_handlers, |h| h.range.start);
            self.header(&h.body, end, |w| {
                w.token(if s.is_star {
                    Special::ExceptGroupStmt
                } else {
                    Special::ExceptStmt
                });
                if let Some(t) = &h.type_ {
                    w.space();
                    w.expr(t, Prec::IfExp);
                }
                if let Some(name) = &h.name {
                    w.space();
                    w.token(Special::As);
                    w.space();
                    w.push(&name.id);
                }
            });
        }
        self.orelse(&s.orelse, final_start.unwrap_or(next));
        if !s.finalbody.is_empty() {
            self.header(&s.finalbody, next, |w| w.token(Special::FinallyStmt));
        }
    }
}
