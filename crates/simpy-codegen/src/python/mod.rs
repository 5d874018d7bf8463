//! The Python printer: PEP 8 layout, the fewest parentheses, literals as written, comments
//! kept, lines over 88 columns split at brackets as black does.

mod expr;
mod line;
mod literals;
mod pattern;

pub(crate) use expr::{is_decimal_int, parameter_items, ExprWriter, Param};
pub(crate) use line::Line;
pub(crate) use literals::{escape_fstring_text, has_top_level_colon};
use simpy_ast::precedence::Prec;
use simpy_ast::*;

/// Prints a module as clean Python; every comment of `comments` appears in the output.
pub fn print_python(module: &ModModule, comments: &Comments) -> String {
    print_python_with(module, comments, &PythonOptions::default())
}

/// How to print Python.
#[derive(Clone, Copy, Debug, Default)]
pub struct PythonOptions<'s> {
    /// The text the tree was parsed from. With it, blank lines between statements are kept
    /// (at most two at the top level, one inside) and a comment that ends a block stays in it.
    pub source: Option<&'s str>,
}

/// [`print_python`] with options.
pub fn print_python_with<'s>(
    module: &ModModule,
    comments: &'s Comments,
    options: &PythonOptions<'s>,
) -> String {
    let mut printer = Printer {
        out: String::new(),
        indent: 0,
        comments: &comments.items,
        next_comment: 0,
        source: options.source,
    };
    printer.block(&module.body, u32::MAX);
    printer.flush_comments_before(u32::MAX);
    let trimmed = printer.out.trim_end_matches('\n').len();
    printer.out.truncate(trimmed);
    if !printer.out.is_empty() {
        printer.out.push('\n');
    }
    printer.out
}

struct Printer<'c> {
    out: String,
    indent: usize,
    comments: &'c [Comment],
    next_comment: usize,
    source: Option<&'c str>,
}

/// Definitions get blank lines around them (two at the top level, one inside).
fn is_definition(stmt: &Stmt) -> bool {
    matches!(stmt, Stmt::FunctionDef(_) | Stmt::ClassDef(_))
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

impl Printer<'_> {
    fn pad(&mut self) {
        for _ in 0..self.indent {
            self.out.push_str("    ");
        }
    }

    fn blank_lines(&mut self, count: usize) {
        if self.out.is_empty() {
            return;
        }
        let have = self.out.len() - self.out.trim_end_matches('\n').len();
        for _ in have..count + 1 {
            self.out.push('\n');
        }
    }

    /// Prints every pending comment that starts before `pos`, each on its own line.
    fn flush_comments_before(&mut self, pos: u32) {
        while let Some(c) = self
            .comments
            .get(self.next_comment)
            .filter(|c| c.range.start < pos)
        {
            self.pad();
            // The output is UTF-8, so a coding declaration (first two lines) must say so.
            if self.out.matches('\n').take(2).count() < 2 {
                self.out.push_str(&declare_utf8(&c.text));
            } else {
                self.out.push_str(&c.text);
            }
            self.out.push('\n');
            self.next_comment += 1;
        }
    }

    /// Writes a logical line (split if too long) and, if the next comment trails code on the
    /// line this one ends (`trails`), that comment after it.
    fn write_line(&mut self, line: &Line, trails: impl Fn(&Comment) -> bool) {
        let rendered = line.render(self.indent);
        self.out.push_str(&rendered);
        if let Some(c) = self
            .comments
            .get(self.next_comment)
            .filter(|c| !c.own_line && trails(c))
        {
            self.out.push_str("  ");
            self.out.push_str(&c.text);
            self.next_comment += 1;
        }
        self.out.push('\n');
    }

    /// A block of statements; `end` is where the enclosing construct's next part begins.
    fn block(&mut self, body: &[Stmt], end: u32) {
        let most = if self.indent == 0 { 2 } else { 1 };
        for (i, stmt) in body.iter().enumerate() {
            if i > 0 {
                let blanks = if is_definition(stmt) || is_definition(&body[i - 1]) {
                    most
                } else {
                    self.source_blank_lines(body[i - 1].range().end, start_of(stmt))
                        .min(most)
                };
                self.blank_lines(blanks);
            }
            let next = body.get(i + 1).map_or(end, start_of);
            self.statement(stmt, next);
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

    /// An indented body after a header line.
    fn body(&mut self, body: &[Stmt], end: u32) {
        self.indent += 1;
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
        self.indent -= 1;
    }

    fn simple(&mut self, stmt: &Stmt, next: u32) {
        // Comments inside a statement that spans lines move to the line before it.
        self.flush_comments_before(stmt.range().end);
        let mut line = Line::default();
        simple_statement(&mut ExprWriter::new(&mut line), stmt);
        if let Stmt::ImportFrom(s) = stmt {
            // A long `from … import` gets parentheses so that it can split.
            let star = s.names.iter().any(|a| &*a.name.id == "*");
            if self.indent * 4 + line.text.len() > line::LINE_LENGTH && !star {
                line = Line::default();
                let mut w = ExprWriter::new(&mut line);
                import_from_head(&mut w, s);
                w.group("(", ")", &s.names, true, alias);
            }
        }
        let end = stmt.range().end;
        self.write_line(&line, |c| c.line_start <= end && c.range.start < next);
    }

    /// A header line (`if …:`, or a clause such as `else:`), then its body. Comments between
    /// the previous block and a clause follow the clause's header, so that printing twice gives
    /// the same text.
    fn header(&mut self, body: &[Stmt], end: u32, write: impl FnOnce(&mut ExprWriter<'_>)) {
        let mut line = Line::default();
        write(&mut ExprWriter::new(&mut line));
        line.text.push(':');
        let body_start = body.first().map_or(end, start_of);
        self.write_line(&line, |c| c.range.start < body_start);
        self.body(body, end);
    }

    fn statement(&mut self, stmt: &Stmt, next: u32) {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.statement_inner(stmt, next))
    }

    fn statement_inner(&mut self, stmt: &Stmt, next: u32) {
        self.flush_comments_before(start_of(stmt));
        match stmt {
            Stmt::FunctionDef(f) => self.function_def(f, next),
            Stmt::ClassDef(c) => self.class_def(c, next),
            Stmt::If(s) => self.if_statement(s, next, "if"),
            Stmt::For(s) => {
                let orelse_start = s.orelse.first().map_or(next, start_of);
                self.header(&s.body, orelse_start, |w| {
                    w.push(if s.is_async { "async for " } else { "for " });
                    w.expr_or_bare_tuple(&s.target);
                    w.push(" in ");
                    w.expr_or_bare_tuple(&s.iter);
                });
                if !s.orelse.is_empty() {
                    self.header(&s.orelse, next, |w| w.push("else"));
                }
            }
            Stmt::While(s) => {
                let orelse_start = s.orelse.first().map_or(next, start_of);
                self.header(&s.body, orelse_start, |w| {
                    w.push("while ");
                    w.expr(&s.test, Prec::Yield);
                });
                if !s.orelse.is_empty() {
                    self.header(&s.orelse, next, |w| w.push("else"));
                }
            }
            Stmt::With(s) => self.header(&s.body, next, |w| {
                w.push(if s.is_async { "async with " } else { "with " });
                for (i, item) in s.items.iter().enumerate() {
                    if i > 0 {
                        w.push(", ");
                    }
                    w.expr(&item.context_expr, Prec::IfExp);
                    if let Some(target) = &item.optional_vars {
                        w.push(" as ");
                        w.expr(target, Prec::Atom);
                    }
                }
            }),
            Stmt::Try(s) => self.try_statement(s, next),
            Stmt::Match(s) => {
                let first_case = s.cases.first().map_or(next, |c| c.range.start);
                let mut line = Line::default();
                let mut w = ExprWriter::new(&mut line);
                w.push("match ");
                w.expr_or_bare_tuple(&s.subject);
                line.text.push(':');
                self.write_line(&line, |c| c.range.start < first_case);
                self.indent += 1;
                for (i, case) in s.cases.iter().enumerate() {
                    let case_end = s.cases.get(i + 1).map_or(next, |c| c.range.start);
                    self.flush_comments_before(case.range.start);
                    self.header(&case.body, case_end, |w| {
                        w.push("case ");
                        w.pattern_top(&case.pattern);
                        if let Some(guard) = &case.guard {
                            w.push(" if ");
                            w.expr(guard, Prec::Yield);
                        }
                    });
                }
                self.indent -= 1;
            }
            _ => self.simple(stmt, next),
        }
    }

    fn decorators(&mut self, decorators: &[Expr]) {
        for d in decorators {
            self.flush_comments_before(d.range().start);
            let mut line = Line::default();
            let mut w = ExprWriter::new(&mut line);
            w.push("@");
            w.expr(d, Prec::Yield);
            let end = d.range().end;
            self.write_line(&line, |c| c.line_start <= end);
        }
    }

    fn function_def(&mut self, f: &StmtFunctionDef, next: u32) {
        self.decorators(&f.decorator_list);
        self.header(&f.body, next, |w| {
            w.push(if f.is_async { "async def " } else { "def " });
            w.push(&f.name.id);
            type_params(w, &f.type_params);
            w.parameter_group(&f.args);
            if let Some(returns) = &f.returns {
                w.push(" -> ");
                w.expr(returns, Prec::Lambda);
            }
        });
    }

    fn class_def(&mut self, c: &StmtClassDef, next: u32) {
        self.decorators(&c.decorator_list);
        self.header(&c.body, next, |w| {
            w.push("class ");
            w.push(&c.name.id);
            type_params(w, &c.type_params);
            if !c.bases.is_empty() || !c.keywords.is_empty() {
                w.call_arguments(&c.bases, &c.keywords);
            }
        });
    }

    fn if_statement(&mut self, s: &StmtIf, next: u32, keyword: &'static str) {
        let orelse_start = s.orelse.first().map_or(next, start_of);
        let write = |w: &mut ExprWriter<'_>| {
            w.push(keyword);
            w.push(" ");
            w.expr(&s.test, Prec::Yield);
        };
        self.header(&s.body, orelse_start, write);
        match &s.orelse[..] {
            [] => {}
            // `else: if …` with nothing else in the `else` reads as `elif`.
            [Stmt::If(inner)] => self.if_statement(inner, next, "elif"),
            orelse => self.header(orelse, next, |w| w.push("else")),
        }
    }

    fn try_statement(&mut self, s: &StmtTry, next: u32) {
        let after_body = s
            .handlers
            .first()
            .map(|h| h.range.start)
            .or_else(|| s.orelse.first().map(start_of))
            .or_else(|| s.finalbody.first().map(start_of))
            .unwrap_or(next);
        self.header(&s.body, after_body, |w| w.push("try"));
        for (i, h) in s.handlers.iter().enumerate() {
            let end = s
                .handlers
                .get(i + 1)
                .map(|h| h.range.start)
                .or_else(|| s.orelse.first().map(start_of))
                .or_else(|| s.finalbody.first().map(start_of))
                .unwrap_or(next);
            self.header(&h.body, end, |w| {
                w.push(if s.is_star { "except*" } else { "except" });
                if let Some(t) = &h.type_ {
                    w.push(" ");
                    w.expr(t, Prec::IfExp);
                }
                if let Some(name) = &h.name {
                    w.push(" as ");
                    w.push(&name.id);
                }
            });
        }
        if !s.orelse.is_empty() {
            let end = s.finalbody.first().map_or(next, start_of);
            self.header(&s.orelse, end, |w| w.push("else"));
        }
        if !s.finalbody.is_empty() {
            self.header(&s.finalbody, next, |w| w.push("finally"));
        }
    }
}

fn type_params(w: &mut ExprWriter<'_>, params: &[TypeParam]) {
    if params.is_empty() {
        return;
    }
    w.group("[", "]", params, true, |w, p| {
        let (star, name, bound, default) = p.parts();
        w.push(star);
        w.push(&name.id);
        if let Some(bound) = bound {
            w.push(": ");
            w.expr(bound, Prec::IfExp);
        }
        if let Some(default) = default {
            w.push(" = ");
            w.expr(default, Prec::IfExp);
        }
    });
}

fn simple_statement(w: &mut ExprWriter<'_>, stmt: &Stmt) {
    match stmt {
        Stmt::Expr(s) => w.statement_value(&s.value),
        Stmt::Assign(s) => {
            for target in &s.targets {
                w.expr_or_bare_tuple(target);
                w.push(" = ");
            }
            w.statement_value(&s.value);
        }
        Stmt::AugAssign(s) => {
            w.expr(&s.target, Prec::Atom);
            w.push(" ");
            w.push(simpy_ast::precedence::operator_text(s.op));
            w.push("= ");
            w.statement_value(&s.value);
        }
        Stmt::AnnAssign(s) => {
            // `simple` is false for a parenthesised name: `(x): int`.
            if !s.simple && matches!(*s.target, Expr::Name(_)) {
                w.push("(");
                w.expr(&s.target, Prec::Atom);
                w.push(")");
            } else {
                w.expr(&s.target, Prec::Atom);
            }
            w.push(": ");
            w.expr(&s.annotation, Prec::Lambda);
            if let Some(value) = &s.value {
                w.push(" = ");
                w.statement_value(value);
            }
        }
        Stmt::Return(s) => {
            w.push("return");
            if let Some(value) = &s.value {
                w.push(" ");
                w.expr_or_bare_tuple(value);
            }
        }
        Stmt::Delete(s) => {
            w.push("del ");
            for (i, target) in s.targets.iter().enumerate() {
                if i > 0 {
                    w.push(", ");
                }
                w.expr(target, Prec::BitOr);
            }
        }
        Stmt::Raise(s) => {
            w.push("raise");
            if let Some(exc) = &s.exc {
                w.push(" ");
                w.expr(exc, Prec::IfExp);
            }
            if let Some(cause) = &s.cause {
                w.push(" from ");
                w.expr(cause, Prec::IfExp);
            }
        }
        Stmt::Assert(s) => {
            w.push("assert ");
            w.expr(&s.test, Prec::IfExp);
            if let Some(msg) = &s.msg {
                w.push(", ");
                w.expr(msg, Prec::IfExp);
            }
        }
        Stmt::Import(s) => {
            w.push("import ");
            aliases(w, &s.names);
        }
        Stmt::ImportFrom(s) => {
            import_from_head(w, s);
            aliases(w, &s.names);
        }
        Stmt::Global(s) => names(w, "global ", &s.names),
        Stmt::Nonlocal(s) => names(w, "nonlocal ", &s.names),
        Stmt::TypeAlias(s) => {
            w.push("type ");
            w.expr(&s.name, Prec::Atom);
            type_params(w, &s.type_params);
            w.push(" = ");
            w.expr(&s.value, Prec::Lambda);
        }
        Stmt::Pass(_) => w.push("pass"),
        Stmt::Break(_) => w.push("break"),
        Stmt::Continue(_) => w.push("continue"),
        Stmt::FunctionDef(_)
        | Stmt::ClassDef(_)
        | Stmt::If(_)
        | Stmt::For(_)
        | Stmt::While(_)
        | Stmt::With(_)
        | Stmt::Try(_)
        | Stmt::Match(_) => unreachable!("compound statements are printed by `Printer::statement`"),
    }
}

fn names(w: &mut ExprWriter<'_>, keyword: &str, names: &[Identifier]) {
    w.push(keyword);
    for (i, name) in names.iter().enumerate() {
        if i > 0 {
            w.push(", ");
        }
        w.push(&name.id);
    }
}

fn import_from_head(w: &mut ExprWriter<'_>, s: &StmtImportFrom) {
    w.push("from ");
    w.push(&".".repeat(s.level as usize));
    if let Some(module) = &s.module {
        w.push(&module.id);
    }
    w.push(" import ");
}

fn aliases(w: &mut ExprWriter<'_>, names: &[Alias]) {
    for (i, a) in names.iter().enumerate() {
        if i > 0 {
            w.push(", ");
        }
        alias(w, a);
    }
}

fn alias(w: &mut ExprWriter<'_>, a: &Alias) {
    w.push(&a.name.id);
    if let Some(asname) = &a.asname {
        w.push(" as ");
        w.push(&asname.id);
    }
}

/// A PEP 263 coding declaration rewritten to name UTF-8; any other comment unchanged.
pub(crate) fn declare_utf8(comment: &str) -> std::borrow::Cow<'_, str> {
    let Some(at) = comment.find("coding") else {
        return comment.into();
    };
    let rest = &comment[at + "coding".len()..];
    if !rest.starts_with([':', '=']) {
        return comment.into();
    }
    let spaces = rest[1..].len() - rest[1..].trim_start_matches([' ', '\t']).len();
    let name_start = at + "coding".len() + 1 + spaces;
    let name_len = comment[name_start..]
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .unwrap_or(comment.len() - name_start);
    let name = comment[name_start..name_start + name_len]
        .to_ascii_lowercase()
        .replace('_', "-");
    if name_len == 0 || name == "utf-8" || name.starts_with("utf-8-") {
        return comment.into();
    }
    format!(
        "{}utf-8{}",
        &comment[..name_start],
        &comment[name_start + name_len..]
    )
    .into()
}
