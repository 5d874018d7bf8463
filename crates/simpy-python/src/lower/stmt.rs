//! Statements and blocks.

use super::{Lowerer, Result};
use crate::cst::{
    children, field, field_children, has_token, kind, named_children, range, starts_with_token,
    Field,
};
use crate::error::{NewerConstruct, ParseErrorKind, Python2Construct, TargetAction};
use crate::flat::Node;
use simpy_ast::*;

impl<'s> Lowerer<'s> {
    /// The statements of a `module` or `block` node.
    pub(super) fn statements(&mut self, node: Node<'_>) -> Result<Vec<Stmt>> {
        let mut body = Vec::with_capacity(node.named_child_count());
        // A module's statements start at column 0; tree-sitter lets the first one be indented
        // when a decorator or a form feed starts it (`    @a` then `@b`).
        let mut block_indent = (kind(node) == "module").then_some(Indent { col: 0, alt_col: 0 });
        let mut previous_end: Option<usize> = None;
        for child in named_children(node) {
            if kind(child) == "case_clause" {
                continue;
            }
            if let Some(end) = previous_end {
                self.check_separated(end, child)?;
            }
            previous_end = Some(child.end_byte());
            self.check_indent(child, &mut block_indent)?;
            body.push(self.nested(child, |l| l.statement(child))?);
        }
        Ok(body)
    }

    /// Two statements need a line break or a `;` between them; tree-sitter's error recovery
    /// accepts `x = 1    return x` as two statements.
    fn check_separated(&self, previous_end: usize, statement: Node<'_>) -> Result<()> {
        let between = &self.src[previous_end.min(statement.start_byte())..statement.start_byte()];
        // Only whitespace, comments, `;` and backslashes lie between two statements; a line
        // break counts unless a backslash (outside a comment) continues the line.
        let mut lines = between.split('\n');
        lines.next_back();
        let separated = between.contains(';')
            || lines.any(|line| {
                let code = line.split('#').next().unwrap_or("");
                !code.trim_end_matches('\r').ends_with('\\')
            });
        if separated {
            return Ok(());
        }
        let rest = &self.src[statement.start_byte()..];
        let word_end = rest
            .find(|c: char| !c.is_alphanumeric() && c != '_')
            .filter(|&n| n > 0)
            .unwrap_or_else(|| rest.chars().next().map_or(0, char::len_utf8));
        let start = statement.start_byte() as u32;
        self.error_at(
            ParseErrorKind::InvalidSyntax {
                found: format!("'{}'", &rest[..word_end]),
            },
            TextRange::new(start, start + word_end as u32),
        )
    }

    /// Statements of one block that start a line must be indented alike. tree-sitter accepts a
    /// dedent to a column no enclosing block uses, and tabs that only line up at one tab size.
    fn check_indent(&self, statement: Node<'_>, block: &mut Option<Indent>) -> Result<()> {
        let Some(indent) = Indent::of(self.src, statement.start_byte()) else {
            return Ok(());
        };
        let Some(expected) = *block else {
            *block = Some(indent);
            return Ok(());
        };
        let kind = if indent.col < expected.col {
            ParseErrorKind::UnmatchedDedent
        } else if indent.col > expected.col {
            // Less indented than the line before it: a dedent to a level no block opened.
            match Indent::of_previous_line(self.src, statement.start_byte()) {
                Some(previous) if previous.col > indent.col => ParseErrorKind::UnmatchedDedent,
                _ => ParseErrorKind::UnexpectedIndent,
            }
        } else if indent.alt_col != expected.alt_col {
            ParseErrorKind::InconsistentTabs
        } else {
            return Ok(());
        };
        self.error(kind, statement)
    }

    /// The first character after `from` that is neither whitespace nor in a comment (the end of
    /// the text if there is none): where CPython reports a statement it expected but missed.
    fn next_token_after(&self, from: usize) -> TextRange {
        let mut at = from;
        loop {
            let rest = &self.src[at..];
            at += rest.len() - rest.trim_start().len();
            if !self.src[at..].starts_with('#') {
                break;
            }
            at += self.src[at..].find('\n').unwrap_or(self.src.len() - at);
        }
        let end = at + self.src[at..].chars().next().map_or(0, char::len_utf8);
        TextRange::new(at as u32, end as u32)
    }

    /// A block that must hold at least one statement (`def f():` with no body is an error).
    fn block(&mut self, node: Node<'_>) -> Result<Vec<Stmt>> {
        let body = self.statements(node)?;
        if body.is_empty() {
            // CPython points at the token that should have been indented: the next one.
            return self.error_at(
                ParseErrorKind::EmptyBlock,
                self.next_token_after(node.end_byte()),
            );
        }
        Ok(body)
    }

    fn block_field(&mut self, node: Node<'_>, field: Field) -> Result<Vec<Stmt>> {
        let block = self.required(node, field)?;
        self.block(block)
    }

    /// The unnamed-field `block` child (`except_clause` and `finally_clause` have one).
    fn child_block(&mut self, node: Node<'_>) -> Result<Vec<Stmt>> {
        match named_children(node)
            .into_iter()
            .find(|c| kind(*c) == "block")
        {
            Some(block) => self.block(block),
            None => self.error(ParseErrorKind::EmptyBlock, node),
        }
    }

    fn statement(&mut self, node: Node<'_>) -> Result<Stmt> {
        let r = range(node);
        if kind(node).ends_with("definition") || is_compound(kind(node)) {
            self.check_header_breaks(node)?;
        } else if self.check_statement_break(node)? {
            // The text is read again with the break respelled; what tree-sitter made of the
            // two statements (`a,\nx += 1` as `a, x += 1`) is not lowered, as it may not be
            // valid.
            return Ok(Stmt::Pass(r));
        }
        Ok(match kind(node) {
            "expression_statement" => self.expression_statement(node)?,
            "pass_statement" => Stmt::Pass(r),
            "break_statement" => Stmt::Break(r),
            "continue_statement" => Stmt::Continue(r),
            "return_statement" => Stmt::Return(StmtReturn {
                range: r,
                value: self.optional_expressions(node)?.map(Box::new),
            }),
            "delete_statement" => self.delete(node)?,
            "raise_statement" => self.raise(node)?,
            "assert_statement" => {
                let parts = named_children(node);
                let test = self.expr(parts[0])?;
                let msg = match parts.get(1) {
                    Some(m) => Some(Box::new(self.expr(*m)?)),
                    None => None,
                };
                Stmt::Assert(StmtAssert {
                    range: r,
                    test: Box::new(test),
                    msg,
                })
            }
            "global_statement" => Stmt::Global(StmtGlobal {
                range: r,
                names: self.identifiers(node),
            }),
            "nonlocal_statement" => Stmt::Nonlocal(StmtNonlocal {
                range: r,
                names: self.identifiers(node),
            }),
            "import_statement" | "import_from_statement" | "future_import_statement"
                if self.trailing_comma_without_parentheses(node) =>
            {
                let end = node.end_byte() as u32;
                let kind = if kind(node) == "import_statement" {
                    ParseErrorKind::InvalidSyntax {
                        found: String::new(),
                    }
                } else {
                    ParseErrorKind::ImportTrailingComma
                };
                return self.error_at(kind, TextRange::new(end, end));
            }
            "import_statement" => Stmt::Import(StmtImport {
                range: r,
                names: self.aliases(node, true)?,
            }),
            "import_from_statement" => self.import_from(node)?,
            "future_import_statement" => Stmt::ImportFrom(StmtImportFrom {
                range: r,
                module: Some(Identifier {
                    range: r,
                    id: "__future__".into(),
                }),
                names: self.aliases(node, false)?,
                level: 0,
            }),
            "ERROR" if is_future_star_import(node, self.src) => Stmt::ImportFrom(StmtImportFrom {
                range: r,
                module: Some(Identifier {
                    range: r,
                    id: "__future__".into(),
                }),
                names: vec![Alias {
                    range: r,
                    name: Identifier {
                        range: r,
                        id: "*".into(),
                    },
                    asname: None,
                }],
                level: 0,
            }),
            "type_alias_statement" => self.type_alias(node)?,
            "print_statement" => self.print_chevron(node)?,
            "exec_statement" => {
                return self.error(
                    ParseErrorKind::Python2(Python2Construct::ExecStatement),
                    node,
                )
            }
            "if_statement" => self.if_statement(node)?,
            "for_statement" => self.for_statement(node)?,
            "while_statement" => Stmt::While(StmtWhile {
                range: r,
                test: Box::new(self.expr(self.required(node, Field::Condition)?)?),
                body: self.block_field(node, Field::Body)?,
                orelse: self.else_clause(field(node, Field::Alternative))?,
            }),
            "try_statement" => self.try_statement(node)?,
            "with_statement" => self.with_statement(node)?,
            "function_definition" => self.function_def(node, Vec::new(), r)?,
            "class_definition" => self.class_def(node, Vec::new(), r)?,
            "decorated_definition" => self.decorated(node)?,
            "match_statement" => self.match_statement(node)?,
            _ => return self.unexpected(node, "a block"),
        })
    }

    /// A header runs on one logical line: tree-sitter takes `if  # c` and the condition on the
    /// next line as one. Checks the statement's header and each of its clauses'.
    fn check_header_breaks(&self, node: Node<'_>) -> Result<()> {
        let definition =
            field(node, Field::Definition).filter(|_| kind(node) == "decorated_definition");
        let statement = definition.unwrap_or(node);
        let clauses = named_children(statement)
            .into_iter()
            .filter(|c| kind(*c).ends_with("_clause") && kind(*c) != "case_clause");
        for header in std::iter::once(statement).chain(clauses) {
            let Some(colon) = children(header).into_iter().find(|c| kind(*c) == ":") else {
                continue;
            };
            if header.start_row() == colon.start_row() {
                continue; // (no `\n` between them)
            }
            let text = &self.src[header.start_byte()..colon.start_byte()];
            if let Some(found) = crate::repair::statement_break(text) {
                let at = (header.start_byte() + found.unwrap_or(0)) as u32;
                return self.error_at(
                    ParseErrorKind::InvalidSyntax {
                        found: "line break".into(),
                    },
                    simpy_ast::TextRange::new(at, at + 1),
                );
            }
        }
        Ok(())
    }

    /// A simple statement spanning a line break outside brackets is two statements that
    /// tree-sitter read as one; the break is respelled `;` for a second parse (`true`).
    fn check_statement_break(&mut self, node: Node<'_>) -> Result<bool> {
        // (Rows count `\n`s: a statement on one row holds none, and most are.)
        if node.start_row() == node.end_row() {
            return Ok(false);
        }
        match crate::repair::statement_break(self.text(node)) {
            None => Ok(false),
            Some(Ok(at)) => {
                self.respell.push(super::Respelling {
                    at: node.start_byte() + at,
                    with: ";",
                });
                Ok(true)
            }
            Some(Err(())) => self.error(ParseErrorKind::MisreadStatements, node),
        }
    }

    fn expression_statement(&mut self, node: Node<'_>) -> Result<Stmt> {
        let r = range(node);
        let parts = named_children(node);
        if parts.len() > 1 || has_token(node, ",") {
            // `a, b` as a statement: a bare tuple.
            let elts = parts.iter().map(|p| self.expr(*p)).collect::<Result<_>>()?;
            let value = Expr::Tuple(ExprTuple {
                range: r,
                elts,
                ctx: ExprContext::Load,
                parenthesized: false,
            });
            return Ok(Stmt::Expr(StmtExpr {
                range: r,
                value: Box::new(value),
            }));
        }
        let inner = parts[0];
        match kind(inner) {
            "assignment" => self.assignment(inner, r),
            "augmented_assignment" => self.aug_assignment(inner, r),
            _ => Ok(Stmt::Expr(StmtExpr {
                range: r,
                value: Box::new(self.expr(inner)?),
            })),
        }
    }

    /// `print >> f, x` is valid Python 3 (a tuple holding `print >> f`), though tree-sitter
    /// reads it as a Python 2 print statement; `print x` is not.
    fn print_chevron(&mut self, node: Node<'_>) -> Result<Stmt> {
        let parts = named_children(node);
        let Some(chevron) = parts.first().filter(|c| kind(**c) == "chevron") else {
            return self.error(
                ParseErrorKind::Python2(Python2Construct::PrintStatement),
                node,
            );
        };
        let print = children(node)[0];
        let print = self.name_expr(print, ExprContext::Load);
        let shifted = shift_into_leftmost(print, self.expr(named_children(*chevron)[0])?);
        let value = if parts.len() > 1 || has_token(node, ",") {
            let mut elts = vec![shifted];
            for arg in &parts[1..] {
                elts.push(self.expr(*arg)?);
            }
            Expr::Tuple(ExprTuple {
                range: range(node),
                elts,
                ctx: ExprContext::Load,
                parenthesized: false,
            })
        } else {
            shifted
        };
        Ok(Stmt::Expr(StmtExpr {
            range: range(node),
            value: Box::new(value),
        }))
    }

    /// `a = b = c`, `x: int = 1`, `x: int`; tree-sitter nests chained targets to the right.
    fn assignment(&mut self, node: Node<'_>, r: TextRange) -> Result<Stmt> {
        if let Some(annotation) = field(node, Field::Type) {
            return self.ann_assignment(node, annotation, r);
        }
        // Sized for the common `a = b`: a pushed-to empty vector takes room for four.
        let mut targets = Vec::with_capacity(1);
        let mut current = node;
        loop {
            let left = self.required(current, Field::Left)?;
            targets.push(self.target(left, TargetAction::Assign)?);
            let right = self.required(current, Field::Right)?;
            match kind(right) {
                "assignment" if field(right, Field::Type).is_none() => current = right,
                "assignment" | "augmented_assignment" => {
                    return self.error(
                        ParseErrorKind::InvalidSyntax {
                            found: "'='".into(),
                        },
                        right,
                    )
                }
                _ => {
                    let value = self.expressions(right)?;
                    return Ok(Stmt::Assign(StmtAssign {
                        range: r,
                        targets,
                        value: Box::new(value),
                    }));
                }
            }
        }
    }

    fn ann_assignment(
        &mut self,
        node: Node<'_>,
        annotation: Node<'_>,
        r: TextRange,
    ) -> Result<Stmt> {
        let left = self.required(node, Field::Left)?;
        let target = self.target(left, TargetAction::Assign)?;
        let simple = match &target {
            Expr::Name(_) => kind(left) == "identifier",
            // `(x): int` arrives as a one-element tuple pattern without a comma.
            Expr::Attribute(_) | Expr::Subscript(_) => false,
            Expr::Tuple(_) => {
                return self.error(ParseErrorKind::AnnotatedMultiTarget("tuple"), left)
            }
            Expr::List(_) => return self.error(ParseErrorKind::AnnotatedMultiTarget("list"), left),
            _ => return self.error(ParseErrorKind::AnnotatedMultiTarget("starred"), left),
        };
        let value = match field(node, Field::Right) {
            Some(v) if kind(v) == "assignment" || kind(v) == "augmented_assignment" => {
                return self.error(
                    ParseErrorKind::InvalidSyntax {
                        found: "'='".into(),
                    },
                    v,
                )
            }
            Some(v) => Some(Box::new(self.expressions(v)?)),
            None => None,
        };
        Ok(Stmt::AnnAssign(StmtAnnAssign {
            range: r,
            target: Box::new(target),
            annotation: Box::new(self.annotation(annotation)?),
            value,
            simple,
        }))
    }

    fn aug_assignment(&mut self, node: Node<'_>, r: TextRange) -> Result<Stmt> {
        let left = self.required(node, Field::Left)?;
        let target = self.aug_target(left)?;
        let op_node = self.required(node, Field::Operator)?;
        let op = binary_operator(kind(op_node).trim_end_matches('=')).ok_or_else(|| {
            self.error::<()>(
                ParseErrorKind::Internal("unknown augmented operator".into()),
                op_node,
            )
            .unwrap_err()
        })?;
        let right = self.required(node, Field::Right)?;
        if matches!(kind(right), "assignment" | "augmented_assignment") {
            return self.error(
                ParseErrorKind::InvalidSyntax {
                    found: "'='".into(),
                },
                right,
            );
        }
        Ok(Stmt::AugAssign(StmtAugAssign {
            range: r,
            target: Box::new(target),
            op,
            value: Box::new(self.expressions(right)?),
        }))
    }

    fn delete(&mut self, node: Node<'_>) -> Result<Stmt> {
        let mut targets = Vec::new();
        for child in named_children(node) {
            if kind(child) == "expression_list" {
                for item in named_children(child) {
                    targets.push(self.target(item, TargetAction::Delete)?);
                }
            } else {
                targets.push(self.target(child, TargetAction::Delete)?);
            }
        }
        Ok(Stmt::Delete(StmtDelete {
            range: range(node),
            targets,
        }))
    }

    fn raise(&mut self, node: Node<'_>) -> Result<Stmt> {
        let cause = field(node, Field::Cause);
        let exc = named_children(node).into_iter().find(|c| Some(*c) != cause);
        if let Some(list) = exc.filter(|e| kind(*e) == "expression_list") {
            return self.error(ParseErrorKind::Python2(Python2Construct::RaiseComma), list);
        }
        // tree-sitter takes `raise from e`; Python gives a cause only to an exception.
        if let (None, Some(cause)) = (exc, cause) {
            let from = (0..node.child_count())
                .filter_map(|i| node.child(i))
                .find(|c| kind(*c) == "from")
                .unwrap_or(cause);
            let found = "'from'".into();
            return self.error(ParseErrorKind::InvalidSyntax { found }, from);
        }
        Ok(Stmt::Raise(StmtRaise {
            range: range(node),
            exc: exc.map(|e| self.expr(e)).transpose()?.map(Box::new),
            cause: cause.map(|c| self.expr(c)).transpose()?.map(Box::new),
        }))
    }

    fn identifiers(&mut self, node: Node<'_>) -> Vec<Identifier> {
        named_children(node)
            .into_iter()
            .map(|n| self.identifier(n))
            .collect()
    }

    /// The names of `import` (dotted) or `from … import` (`dotted` false: tree-sitter takes
    /// `from a import b.c`, Python does not).
    fn aliases(&mut self, node: Node<'_>, dotted: bool) -> Result<Vec<Alias>> {
        let mut names = Vec::new();
        for name in field_children(node, Field::Name) {
            let dotted_name = match kind(name) {
                "aliased_import" => self.required(name, Field::Name)?,
                _ => name,
            };
            if let Some(dot) = children(dotted_name).into_iter().find(|c| kind(*c) == ".") {
                if !dotted {
                    let found = "'.'".to_owned();
                    return self.error(ParseErrorKind::InvalidSyntax { found }, dot);
                }
            }
            names.push(match kind(name) {
                "aliased_import" => Alias {
                    range: range(name),
                    name: self.dotted_name(dotted_name),
                    asname: Some(self.identifier(self.required(name, Field::Alias)?)),
                },
                "dotted_name" => Alias {
                    range: range(name),
                    name: self.dotted_name(name),
                    asname: None,
                },
                _ => return self.unexpected(name, "an import"),
            });
        }
        Ok(names)
    }

    /// `a.b.c` as one identifier, each part normalised, spaces and comments dropped.
    fn dotted_name(&mut self, node: Node<'_>) -> Identifier {
        let parts: Vec<_> = named_children(node)
            .into_iter()
            .map(|n| self.identifier(n).id)
            .collect();
        Identifier {
            range: range(node),
            id: parts.join(".").into(),
        }
    }

    /// `import a,` and `from a import b,`: tree-sitter takes the trailing comma, CPython does
    /// not unless the names are in parentheses.
    fn trailing_comma_without_parentheses(&self, node: Node<'_>) -> bool {
        let tokens = children(node);
        tokens.last().is_some_and(|t| kind(*t) == ",") && !tokens.iter().any(|t| kind(*t) == "(")
    }

    fn import_from(&mut self, node: Node<'_>) -> Result<Stmt> {
        let module_node = self.required(node, Field::ModuleName)?;
        let (module, level) = if kind(module_node) == "relative_import" {
            let mut level = 0;
            let mut module = None;
            for part in named_children(module_node) {
                match kind(part) {
                    "import_prefix" => {
                        level = self.text(part).chars().filter(|c| *c == '.').count() as u32
                    }
                    "dotted_name" => module = Some(self.dotted_name(part)),
                    _ => return self.unexpected(part, "a relative import"),
                }
            }
            (module, level)
        } else {
            (Some(self.dotted_name(module_node)), 0)
        };
        let names = match named_children(node)
            .into_iter()
            .find(|c| kind(*c) == "wildcard_import")
        {
            Some(star) => vec![Alias {
                range: range(star),
                name: Identifier {
                    range: range(star),
                    id: "*".into(),
                },
                asname: None,
            }],
            None => self.aliases(node, false)?,
        };
        Ok(Stmt::ImportFrom(StmtImportFrom {
            range: range(node),
            module,
            names,
            level,
        }))
    }

    fn if_statement(&mut self, node: Node<'_>) -> Result<Stmt> {
        let test = self.expr(self.required(node, Field::Condition)?)?;
        let body = self.block_field(node, Field::Consequence)?;
        // `elif` clauses nest as `If` statements in the `orelse` of the one before.
        let mut orelse = Vec::new();
        for clause in field_children(node, Field::Alternative).into_iter().rev() {
            orelse = match kind(clause) {
                "else_clause" => self.block_field(clause, Field::Body)?,
                "elif_clause" => {
                    let r = TextRange::new(range(clause).start, node.end_byte() as u32);
                    vec![Stmt::If(StmtIf {
                        range: r,
                        test: Box::new(self.expr(self.required(clause, Field::Condition)?)?),
                        body: self.block_field(clause, Field::Consequence)?,
                        orelse,
                    })]
                }
                _ => return self.unexpected(clause, "an if statement"),
            };
        }
        Ok(Stmt::If(StmtIf {
            range: range(node),
            test: Box::new(test),
            body,
            orelse,
        }))
    }

    fn else_clause(&mut self, clause: Option<Node<'_>>) -> Result<Vec<Stmt>> {
        match clause {
            Some(c) => self.block_field(c, Field::Body),
            None => Ok(Vec::new()),
        }
    }

    fn for_statement(&mut self, node: Node<'_>) -> Result<Stmt> {
        let left = self.required(node, Field::Left)?;
        Ok(Stmt::For(StmtFor {
            range: range(node),
            is_async: starts_with_token(node, "async"),
            target: Box::new(self.target(left, TargetAction::Assign)?),
            iter: Box::new(self.expressions(self.required(node, Field::Right)?)?),
            body: self.block_field(node, Field::Body)?,
            orelse: self.else_clause(field(node, Field::Alternative))?,
        }))
    }

    fn try_statement(&mut self, node: Node<'_>) -> Result<Stmt> {
        let body = self.block_field(node, Field::Body)?;
        let mut handlers = Vec::new();
        let mut orelse = Vec::new();
        let mut finalbody = Vec::new();
        let mut star_count = 0;
        for clause in named_children(node) {
            match kind(clause) {
                "block" => {}
                "except_clause" => {
                    star_count += usize::from(has_token(clause, "*"));
                    handlers.push(self.except_clause(clause)?);
                }
                "else_clause" => orelse = self.block_field(clause, Field::Body)?,
                "finally_clause" => finalbody = self.child_block(clause)?,
                _ => return self.unexpected(clause, "a try statement"),
            }
        }
        let else_clause = named_children(node)
            .into_iter()
            .find(|c| kind(*c) == "else_clause");
        // An `else:` needs a handler, `finally:` or not (tree-sitter takes `try`/`else`/`finally`).
        if handlers.is_empty() && (finalbody.is_empty() || else_clause.is_some()) {
            // CPython points where a handler was due: at an `else:`, or after the body.
            let at = else_clause.map_or_else(|| self.next_token_after(node.end_byte()), range);
            return self.error_at(ParseErrorKind::TryWithoutHandlers, at);
        }
        if star_count != 0 && star_count != handlers.len() {
            return self.error(ParseErrorKind::MixedExceptStar, node);
        }
        Ok(Stmt::Try(StmtTry {
            range: range(node),
            is_star: star_count > 0,
            body,
            handlers,
            orelse,
            finalbody,
        }))
    }

    fn except_clause(&mut self, clause: Node<'_>) -> Result<ExceptHandler> {
        let values = field_children(clause, Field::Value);
        if values.is_empty() && has_token(clause, "*") {
            return self.error(
                ParseErrorKind::Expected("one or more exception types".into()),
                clause,
            );
        }
        if values.len() > 1 {
            return self.error(
                ParseErrorKind::NewerPython(NewerConstruct::UnparenthesizedExceptTypes),
                clause,
            );
        }
        let (type_, name) = match values.first() {
            None => (None, None),
            Some(v) if kind(*v) == "as_pattern" => {
                let (value, alias) = self.as_pattern(*v);
                let name = match alias {
                    Some(a) if kind(a) == "identifier" => Some(self.identifier(a)),
                    Some(a) => {
                        return self.error(
                            ParseErrorKind::InvalidSyntax {
                                found: format!("'{}'", self.text(a)),
                            },
                            a,
                        )
                    }
                    None => None,
                };
                (Some(Box::new(self.expr(value)?)), name)
            }
            Some(v) => (Some(Box::new(self.expr(*v)?)), None),
        };
        if let Some(alias) = field(clause, Field::Alias) {
            return self.error(
                ParseErrorKind::NewerPython(NewerConstruct::UnparenthesizedExceptTypes),
                alias,
            );
        }
        Ok(ExceptHandler {
            range: range(clause),
            type_,
            name,
            body: self.child_block(clause)?,
        })
    }

    /// The value and the `as` target (its inner node) of an `as_pattern`.
    pub(super) fn as_pattern<'t>(&self, node: Node<'t>) -> (Node<'t>, Option<Node<'t>>) {
        let parts = named_children(node);
        let value = parts[0];
        let alias = field(node, Field::Alias)
            .map(|target| named_children(target).into_iter().next().unwrap_or(target));
        (value, alias)
    }

    fn with_statement(&mut self, node: Node<'_>) -> Result<Stmt> {
        let clause = named_children(node)
            .into_iter()
            .find(|c| kind(*c) == "with_clause");
        let Some(clause) = clause else {
            return self.unexpected(node, "a with statement");
        };
        let mut items = Vec::new();
        for item in named_children(clause) {
            let mut value = self.required(item, Field::Value)?;
            // `with (f() as x):` is one item with a target.
            if kind(value) == "parenthesized_expression" {
                if let [inner] = named_children(value)[..] {
                    if kind(inner) == "as_pattern" {
                        value = inner;
                    }
                }
            }
            items.push(if kind(value) == "as_pattern" {
                let (context, target) = self.as_pattern(value);
                let optional_vars = match target {
                    Some(t) => Some(Box::new(self.target(t, TargetAction::Assign)?)),
                    None => None,
                };
                WithItem {
                    range: range(item),
                    context_expr: self.expr(context)?,
                    optional_vars,
                }
            } else {
                self.with_target = Some(None);
                let context_expr = self.expr(value);
                let misplaced_target = self.with_target.take().flatten();
                let optional_vars = match misplaced_target {
                    Some(at) => {
                        let target =
                            value.descendant_for_byte_range(at.start as usize, at.end as usize);
                        let target = target.unwrap_or(value);
                        Some(Box::new(self.target(target, TargetAction::Assign)?))
                    }
                    None => None,
                };
                WithItem {
                    range: range(item),
                    context_expr: context_expr?,
                    optional_vars,
                }
            });
        }
        Ok(Stmt::With(StmtWith {
            range: range(node),
            is_async: starts_with_token(node, "async"),
            items,
            body: self.block_field(node, Field::Body)?,
        }))
    }

    fn decorated(&mut self, node: Node<'_>) -> Result<Stmt> {
        let mut decorators = Vec::new();
        for child in named_children(node) {
            if kind(child) == "decorator" {
                let expr = named_children(child)[0];
                self.check_decorator_line(child.start_byte() + 1, expr.start_byte())?;
                self.check_decorator_expression(expr)?;
                decorators.push(self.expr(expr)?);
            }
        }
        let definition = self.required(node, Field::Definition)?;
        let r = range(node);
        match kind(definition) {
            "function_definition" => self.function_def(definition, decorators, r),
            "class_definition" => self.class_def(definition, decorators, r),
            _ => self.unexpected(definition, "a decorated definition"),
        }
    }

    /// tree-sitter reads on past the end of a `@` line (`@` then `x` on the next line); in
    /// Python the expression starts on the line of its `@`, or after a `\` that joins the
    /// next one. `from..to` is what lies between them.
    fn check_decorator_line(&self, from: usize, to: usize) -> Result<()> {
        let bytes = self.src.as_bytes();
        let mut i = from;
        while i < to {
            match bytes[i] {
                b'\\' => {
                    i += if bytes[i..to].starts_with(b"\\\r\n") {
                        3
                    } else {
                        2
                    }
                }
                b'\n' | b'\r' | b'#' => {
                    let end = if bytes[i] == b'#' {
                        i + bytes[i..to]
                            .iter()
                            .position(|b| b"\r\n".contains(b))
                            .unwrap_or(to - i)
                    } else {
                        i
                    };
                    let found = String::new();
                    let at = TextRange::new(i as u32, end as u32);
                    return self.error_at(ParseErrorKind::InvalidSyntax { found }, at);
                }
                _ => i += 1,
            }
        }
        Ok(())
    }

    /// tree-sitter also reads a decorator's expression on past a line break outside brackets
    /// where an operand must follow (`@a -` then `b`); Python ends the line there.
    fn check_decorator_expression(&self, expr: Node<'_>) -> Result<()> {
        match crate::repair::statement_break(self.text(expr)) {
            None => Ok(()),
            Some(found) => {
                let at = (expr.start_byte() + found.unwrap_or(0)) as u32;
                self.error_at(
                    ParseErrorKind::InvalidSyntax {
                        found: "line break".into(),
                    },
                    TextRange::new(at, at + 1),
                )
            }
        }
    }

    fn function_def(
        &mut self,
        node: Node<'_>,
        decorator_list: Vec<Expr>,
        r: TextRange,
    ) -> Result<Stmt> {
        let type_params = self.optional_type_params(node)?;
        let args = self.parameters(self.required(node, Field::Parameters)?, true)?;
        let returns = match field(node, Field::ReturnType) {
            Some(t) => Some(Box::new(self.annotation(t)?)),
            None => None,
        };
        Ok(Stmt::FunctionDef(StmtFunctionDef {
            range: r,
            is_async: starts_with_token(node, "async"),
            decorator_list,
            name: self.identifier(self.required(node, Field::Name)?),
            type_params,
            args: Box::new(args),
            returns,
            body: self.block_field(node, Field::Body)?,
        }))
    }

    fn class_def(
        &mut self,
        node: Node<'_>,
        decorator_list: Vec<Expr>,
        r: TextRange,
    ) -> Result<Stmt> {
        let type_params = self.optional_type_params(node)?;
        let (bases, keywords) = match field(node, Field::Superclasses) {
            Some(list) => self.call_arguments(list)?,
            None => (Vec::new(), Vec::new()),
        };
        Ok(Stmt::ClassDef(StmtClassDef {
            range: r,
            decorator_list,
            name: self.identifier(self.required(node, Field::Name)?),
            type_params,
            bases,
            keywords,
            body: self.block_field(node, Field::Body)?,
        }))
    }

    fn type_alias(&mut self, node: Node<'_>) -> Result<Stmt> {
        if !has_alias_name(node) {
            // `type(x).y = 1`: recorded for a second parse; this placeholder is discarded.
            // `type(x).y = 1` is an assignment; an identifier of the same length reads as one.
            self.respell.push(super::Respelling {
                at: node.start_byte(),
                with: "typ_",
            });
            return Ok(Stmt::Pass(range(node)));
        }
        let left = self.required(node, Field::Left)?;
        let inner = named_children(left).into_iter().next().unwrap_or(left);
        let (name, type_params) = match kind(inner) {
            "generic_type" => {
                let parts = named_children(inner);
                let name = self.name_expr(parts[0], ExprContext::Store);
                let params = match parts.get(1) {
                    Some(p) => self.type_params(*p)?,
                    None => Vec::new(),
                };
                (name, params)
            }
            "identifier" => (self.name_expr(inner, ExprContext::Store), Vec::new()),
            _ => return self.unexpected(inner, "a type alias name"),
        };
        Ok(Stmt::TypeAlias(StmtTypeAlias {
            range: range(node),
            name: Box::new(name),
            type_params,
            value: Box::new(self.annotation(self.required(node, Field::Right)?)?),
        }))
    }

    /// The `[T]` of a `def` or `class`, if it has one.
    fn optional_type_params(&mut self, node: Node<'_>) -> Result<Vec<TypeParam>> {
        match field(node, Field::TypeParameters) {
            Some(p) => self.type_params(p),
            None => Ok(Vec::new()),
        }
    }

    /// `[T: int, *Ts, **P]`, with PEP 696 defaults (`[T = int]`) from the repair.
    pub(super) fn type_params(&mut self, node: Node<'_>) -> Result<Vec<TypeParam>> {
        let mut params = Vec::new();
        for ty in named_children(node) {
            let inner = named_children(ty).into_iter().next().unwrap_or(ty);
            let mut r = range(ty);
            let default_value = self
                .alone
                .type_param_defaults
                .remove(&r.end)
                .map(|(_, value)| {
                    r = r.cover(value.range());
                    Box::new(value)
                });
            params.push(match kind(inner) {
                "identifier" => TypeParam::TypeVar(TypeParamTypeVar {
                    range: r,
                    name: self.identifier(inner),
                    bound: None,
                    default_value,
                }),
                "constrained_type" => {
                    let parts = named_children(inner);
                    let name_node = named_children(parts[0])
                        .into_iter()
                        .next()
                        .unwrap_or(parts[0]);
                    if kind(name_node) != "identifier" {
                        return self.unexpected(name_node, "a type parameter");
                    }
                    // A bound is an expression: tree-sitter takes `T: *P` and `T: **P`.
                    let bound = named_children(parts[1])
                        .into_iter()
                        .next()
                        .unwrap_or(parts[1]);
                    if kind(bound) == "splat_type" {
                        let star = if has_token(bound, "**") {
                            "'**'"
                        } else {
                            "'*'"
                        };
                        let found = star.into();
                        return self.error(ParseErrorKind::InvalidSyntax { found }, bound);
                    }
                    TypeParam::TypeVar(TypeParamTypeVar {
                        range: r,
                        name: self.identifier(name_node),
                        bound: Some(Box::new(self.annotation(parts[1])?)),
                        default_value,
                    })
                }
                "splat_type" => {
                    let name = self.identifier(named_children(inner)[0]);
                    if has_token(inner, "**") {
                        TypeParam::ParamSpec(TypeParamParamSpec {
                            range: r,
                            name,
                            default_value,
                        })
                    } else {
                        TypeParam::TypeVarTuple(TypeParamTypeVarTuple {
                            range: r,
                            name,
                            default_value,
                        })
                    }
                }
                _ => return self.unexpected(inner, "a type parameter list"),
            });
        }
        Ok(params)
    }

    fn match_statement(&mut self, node: Node<'_>) -> Result<Stmt> {
        let subjects = field_children(node, Field::Subject);
        let subject = if subjects.len() > 1 || has_token(node, ",") {
            let elts = subjects
                .iter()
                .map(|s| self.expr(*s))
                .collect::<Result<Vec<_>>>()?;
            let r = range(subjects[0]).cover(range(*subjects.last().unwrap_or(&subjects[0])));
            Expr::Tuple(ExprTuple {
                range: r,
                elts,
                ctx: ExprContext::Load,
                parenthesized: false,
            })
        } else {
            self.expr(subjects[0])?
        };
        let body = self.required(node, Field::Body)?;
        let mut cases = Vec::new();
        for case in field_children(body, Field::Alternative) {
            cases.push(self.match_case(case)?);
        }
        if cases.is_empty() {
            return self.error(ParseErrorKind::EmptyBlock, body);
        }
        Ok(Stmt::Match(StmtMatch {
            range: range(node),
            subject: Box::new(subject),
            cases,
        }))
    }
}

/// tree-sitter-python has no rule for `from __future__ import *`, which CPython's parser
/// accepts (only the compiler rejects it); this recognises the ERROR node it leaves.
pub(crate) fn is_future_star_import(node: Node<'_>, src: &str) -> bool {
    let tokens: Vec<&str> = children(node)
        .iter()
        .map(|c| &src[c.byte_range()])
        .collect();
    tokens == ["from", "__future__", "import", "*"]
}

pub(super) fn binary_operator(op: &str) -> Option<Operator> {
    Some(match op {
        "+" => Operator::Add,
        "-" => Operator::Sub,
        "*" => Operator::Mult,
        "@" => Operator::MatMult,
        "/" => Operator::Div,
        "%" => Operator::Mod,
        "**" => Operator::Pow,
        "<<" => Operator::LShift,
        ">>" => Operator::RShift,
        "|" => Operator::BitOr,
        "^" => Operator::BitXor,
        "&" => Operator::BitAnd,
        "//" => Operator::FloorDiv,
        _ => return None,
    })
}

/// The indentation of a line, measured as CPython's tokenizer does: with tabs to multiples of
/// 8 (`col`) and with tabs as one column (`alt_col`); the two must agree on every comparison.
#[derive(Clone, Copy)]
struct Indent {
    col: u32,
    alt_col: u32,
}

impl Indent {
    /// The indentation before `offset`, or `None` if something else precedes it on its line.
    fn of(src: &str, offset: usize) -> Option<Indent> {
        let line_start = src[..offset].rfind('\n').map_or(0, |i| i + 1);
        let (mut col, mut alt_col) = (0, 0);
        for byte in src[line_start..offset].bytes() {
            match byte {
                b' ' => {
                    col += 1;
                    alt_col += 1;
                }
                b'\t' => {
                    col = (col / 8 + 1) * 8;
                    alt_col += 1;
                }
                b'\x0c' => {
                    col = 0;
                    alt_col = 0;
                }
                _ => return None,
            }
        }
        Some(Indent { col, alt_col })
    }

    /// The indentation of the nearest line above `offset` that holds code.
    fn of_previous_line(src: &str, offset: usize) -> Option<Indent> {
        let line_start = src[..offset].rfind('\n')?;
        src[..line_start]
            .split('\n')
            .rev()
            .find(|line| !line.trim().is_empty() && !line.trim_start().starts_with('#'))
            .and_then(|line| {
                let indent_len = line.len() - line.trim_start().len();
                Indent::of(line, indent_len)
            })
    }
}

/// Whether a `type_alias_statement` names an alias: `type X = …` or `type X[T] = …`.
fn has_alias_name(node: Node<'_>) -> bool {
    let Some(left) = field(node, Field::Left) else {
        return false;
    };
    match left.named_child(0) {
        Some(name) if kind(name) == "identifier" => true,
        Some(generic) if kind(generic) == "generic_type" => generic
            .named_child(0)
            .is_some_and(|n| kind(n) == "identifier"),
        _ => false,
    }
}

fn is_compound(kind: &str) -> bool {
    matches!(
        kind,
        "if_statement"
            | "for_statement"
            | "while_statement"
            | "try_statement"
            | "with_statement"
            | "match_statement"
    )
}

/// `print >> a in b` is `(print >> a) in b`: `>>` binds tighter than the comparison, boolean
/// or bitwise operator tree-sitter put around its right operand, so it takes that operator's
/// leftmost operand instead (and groups left among shifts: `(print >> a) >> b`).
fn shift_into_leftmost(print: Expr, operand: Expr) -> Expr {
    match operand {
        Expr::BinOp(mut b)
            if matches!(
                b.op,
                Operator::RShift
                    | Operator::LShift
                    | Operator::BitAnd
                    | Operator::BitXor
                    | Operator::BitOr
            ) =>
        {
            b.left = Box::new(shift_into_leftmost(print, *b.left));
            b.range.start = b.left.range().start;
            Expr::BinOp(b)
        }
        Expr::Compare(mut c) => {
            c.left = Box::new(shift_into_leftmost(print, *c.left));
            c.range.start = c.left.range().start;
            Expr::Compare(c)
        }
        Expr::IfExp(mut i) => {
            i.body = Box::new(shift_into_leftmost(print, *i.body));
            i.range.start = i.body.range().start;
            Expr::IfExp(i)
        }
        Expr::BoolOp(mut b) if !b.values.is_empty() => {
            let first = b.values.remove(0);
            b.values.insert(0, shift_into_leftmost(print, first));
            b.range.start = b.values[0].range().start;
            Expr::BoolOp(b)
        }
        other => Expr::BinOp(ExprBinOp {
            range: print.range().cover(other.range()),
            left: Box::new(print),
            op: Operator::RShift,
            right: Box::new(other),
        }),
    }
}
