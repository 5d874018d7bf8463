//! Expressions, annotations and identifiers.

use super::stmt::binary_operator;
use super::{Lowerer, Result};
use crate::cst::{
    children, field, has_token, kind, named_children, range, starts_with_token, Field,
};
use crate::error::{ParseErrorKind, Python2Construct, TargetAction};
use crate::flat::Node;
use crate::literals::parse_number;
use simpy_ast::precedence::operator_prec;
use simpy_ast::*;
use unicode_normalization::UnicodeNormalization;

impl<'s> Lowerer<'s> {
    pub(super) fn expr(&mut self, node: Node<'_>) -> Result<Expr> {
        if !self.alone.expressions.is_empty() && kind(node) == "call" {
            if let Some(starred) = self.starred_read_alone(node) {
                return Ok(starred);
            }
        }
        if let Some(walrus) = walrus_on_left(node) {
            return self.nested(node, |l| l.rebind_walrus(node, walrus));
        }
        self.nested(node, |l| l.expr_inner(node))
    }

    /// `*_( … )`, a starred operand blanked for a second parse (`alone.rs`), which tree-sitter
    /// reads as a call of `*_`: the operand read alone, starred.
    fn starred_read_alone(&mut self, call: Node<'_>) -> Option<Expr> {
        let splat = field(call, Field::Function).filter(|f| kind(*f) == "list_splat")?;
        let operand = *named_children(splat).first()?;
        let read = self
            .alone
            .expressions
            .remove(&(operand.start_byte() as u32))?;
        Some(Expr::Starred(ExprStarred {
            range: range(call),
            value: Box::new(read),
            ctx: ExprContext::Load,
        }))
    }

    /// `node` with its leftmost operand a walrus: the walrus takes the whole expression.
    fn rebind_walrus(&mut self, node: Node<'_>, walrus: Node<'_>) -> Result<Expr> {
        if !walrus_allowed_in(node) {
            return self.error(ParseErrorKind::UnparenthesizedWalrus, node);
        }
        let name = self.required(walrus, Field::Name)?;
        self.unwrap_walrus = Some(walrus.id());
        let value = self.expr_inner(node)?;
        Ok(Expr::NamedExpr(ExprNamedExpr {
            range: range(node),
            target: Box::new(self.name_expr(name, ExprContext::Store)),
            value: Box::new(value),
        }))
    }

    /// An expression or a bare `a, b` list (a tuple without parentheses).
    pub(super) fn expressions(&mut self, node: Node<'_>) -> Result<Expr> {
        match kind(node) {
            "expression_list" | "pattern_list" => Ok(Expr::Tuple(ExprTuple {
                range: range(node),
                elts: self.elements(node)?,
                ctx: ExprContext::Load,
                parenthesized: false,
            })),
            _ => self.expr(node),
        }
    }

    /// The optional value of `return`, `yield` and the like.
    pub(super) fn optional_expressions(&mut self, node: Node<'_>) -> Result<Option<Expr>> {
        match named_children(node).into_iter().next() {
            Some(value) => Ok(Some(self.expressions(value)?)),
            None => Ok(None),
        }
    }

    fn elements(&mut self, node: Node<'_>) -> Result<Vec<Expr>> {
        named_children(node)
            .into_iter()
            .map(|n| self.expr(n))
            .collect()
    }

    pub(super) fn identifier(&self, node: Node<'_>) -> Identifier {
        let text = self.text(node);
        if matches!(text, "async" | "await") && self.keyword_name.get().is_none() {
            self.keyword_name.set(Some(range(node)));
        }
        // CPython stores non-ASCII identifiers in NFKC form (PEP 3131).
        let id: Box<str> = if self.ascii || text.is_ascii() {
            text.into()
        } else {
            text.nfkc().collect::<String>().into()
        };
        Identifier {
            range: range(node),
            id,
        }
    }

    pub(super) fn name_expr(&self, node: Node<'_>, ctx: ExprContext) -> Expr {
        let Identifier { range, id } = self.identifier(node);
        Expr::Name(ExprName { range, id, ctx })
    }

    fn constant(&self, node: Node<'_>, value: Constant) -> Expr {
        Expr::Constant(ExprConstant {
            range: range(node),
            value,
            kind: None,
            spelling: Spelling::Canonical,
        })
    }

    /// One expression, by its kind. Only a dispatcher: each arm is a call, and the larger ones
    /// are not inlined, so that the frame this recursion pushes at every level stays small
    /// (inlined, the arms made it 3.7 KB, and a nested expression's frames spilled out of the
    /// L1 cache).
    fn expr_inner(&mut self, node: Node<'_>) -> Result<Expr> {
        match kind(node) {
            "identifier" | "keyword_identifier" => Ok(self.name_expr(node, ExprContext::Load)),
            "integer" | "float" => self.number(node),
            "true" => Ok(self.constant(node, Constant::True)),
            "false" => Ok(self.constant(node, Constant::False)),
            "none" => Ok(self.constant(node, Constant::None)),
            "ellipsis" => Ok(self.constant(node, Constant::Ellipsis)),
            "string" | "concatenated_string" => self.string(node),
            "parenthesized_expression" => self.parenthesized(node),
            "tuple" => self.tuple(node),
            "expression_list" | "pattern_list" => self.expressions(node),
            "list" => self.list(node),
            "set" => self.set(node),
            "dictionary" => self.dictionary(node),
            "list_splat" | "parenthesized_list_splat" => self.starred(node),
            "list_comprehension"
            | "set_comprehension"
            | "generator_expression"
            | "dictionary_comprehension" => self.comprehension(node),
            "attribute" => self.attribute(node),
            "subscript" => self.subscript(node),
            "slice" => self.slice(node),
            "call" => self.call(node),
            "await" => self.await_expr(node),
            "yield" => self.yield_expr(node),
            "unary_operator" | "not_operator" => self.unary_operator(node),
            "binary_operator" => self.binary_chain(node),
            "boolean_operator" => self.boolean_operator(node),
            "comparison_operator" => self.comparison(node),
            "conditional_expression" => self.conditional(node),
            "named_expression" => self.named_expression(node),
            "lambda" => self.lambda(node),
            // Targets that tree-sitter parses as patterns, read as expressions.
            "tuple_pattern" | "list_pattern" | "list_splat_pattern" => self.pattern_as_expr(node),
            // Only inside a `with` item, where the target belongs to the whole item.
            "as_pattern" if self.with_target == Some(None) => {
                let (value, alias) = self.as_pattern(node);
                self.with_target = Some(alias.map(range));
                self.expr(value)
            }
            _ => self.unexpected(node, "an expression"),
        }
    }

    #[inline(never)]
    fn number(&self, node: Node<'_>) -> Result<Expr> {
        let text = self.text(node);
        let value = parse_number(text).or_else(|kind| self.error(kind, node))?;
        Ok(Expr::Constant(ExprConstant {
            range: range(node),
            value,
            kind: None,
            spelling: Spelling::Number(text.into()),
        }))
    }

    #[inline(never)]
    fn tuple(&mut self, node: Node<'_>) -> Result<Expr> {
        let elts = self.elements(node)?;
        Ok(Expr::Tuple(ExprTuple {
            range: range(node),
            elts: self.no_lone_star(node, elts)?,
            ctx: ExprContext::Load,
            parenthesized: true,
        }))
    }

    #[inline(never)]
    fn list(&mut self, node: Node<'_>) -> Result<Expr> {
        Ok(Expr::List(ExprList {
            range: range(node),
            elts: self.elements(node)?,
            ctx: ExprContext::Load,
        }))
    }

    #[inline(never)]
    fn set(&mut self, node: Node<'_>) -> Result<Expr> {
        Ok(Expr::Set(ExprSet {
            range: range(node),
            elts: self.elements(node)?,
        }))
    }

    #[inline(never)]
    fn attribute(&mut self, node: Node<'_>) -> Result<Expr> {
        let (value, star) = self.postfix_base(self.required(node, Field::Object)?)?;
        let attribute = Expr::Attribute(ExprAttribute {
            range: range(node),
            value: Box::new(value),
            attr: self.identifier(self.required(node, Field::Attribute)?),
            ctx: ExprContext::Load,
        });
        Ok(restar(attribute, star))
    }

    /// `+a`, `-a`, `~a`, `not a`.
    #[inline(never)]
    fn unary_operator(&mut self, node: Node<'_>) -> Result<Expr> {
        let op = if kind(node) == "not_operator" {
            UnaryOp::Not
        } else {
            match kind(self.required(node, Field::Operator)?) {
                "+" => UnaryOp::UAdd,
                "-" => UnaryOp::USub,
                _ => UnaryOp::Invert,
            }
        };
        Ok(Expr::UnaryOp(ExprUnaryOp {
            range: range(node),
            op,
            operand: Box::new(self.expr(self.required(node, Field::Argument)?)?),
        }))
    }

    #[inline(never)]
    fn conditional(&mut self, node: Node<'_>) -> Result<Expr> {
        let parts = named_children(node);
        if parts.len() != 3 {
            return self.error(
                ParseErrorKind::Expected("'else' after 'if' expression".into()),
                node,
            );
        }
        Ok(Expr::IfExp(ExprIfExp {
            range: range(node),
            body: Box::new(self.expr(parts[0])?),
            test: Box::new(self.expr(parts[1])?),
            orelse: Box::new(self.expr(parts[2])?),
        }))
    }

    #[inline(never)]
    fn named_expression(&mut self, node: Node<'_>) -> Result<Expr> {
        if self.unwrap_walrus == Some(node.id()) {
            self.unwrap_walrus = None;
            return self.expr(self.required(node, Field::Value)?);
        }
        if !walrus_allowed_in(node) {
            return self.error(ParseErrorKind::UnparenthesizedWalrus, node);
        }
        let name = self.required(node, Field::Name)?;
        if kind(name) != "identifier" {
            return self.error(
                ParseErrorKind::InvalidTarget {
                    what: "expression",
                    action: TargetAction::NamedExpr,
                },
                name,
            );
        }
        Ok(Expr::NamedExpr(ExprNamedExpr {
            range: range(node),
            target: Box::new(self.name_expr(name, ExprContext::Store)),
            value: Box::new(self.expr(self.required(node, Field::Value)?)?),
        }))
    }

    #[inline(never)]
    fn lambda(&mut self, node: Node<'_>) -> Result<Expr> {
        let args = match field(node, Field::Parameters) {
            Some(p) => self.parameters(p, false)?,
            None => Arguments::default(),
        };
        Ok(Expr::Lambda(ExprLambda {
            range: range(node),
            args: Box::new(args),
            body: Box::new(self.expr(self.required(node, Field::Body)?)?),
        }))
    }

    #[inline(never)]
    fn parenthesized(&mut self, node: Node<'_>) -> Result<Expr> {
        let inner = named_children(node);
        let Some(&inner) = inner.first() else {
            return self.unexpected(node, "parentheses");
        };
        let mut expr = self.expr(inner)?;
        if matches!(expr, Expr::Starred(_)) {
            return self.error(ParseErrorKind::StarredHere, node);
        }
        if let Expr::Tuple(t) = &mut expr {
            t.parenthesized = true;
        }
        Ok(expr)
    }

    #[inline(never)]
    fn starred(&mut self, node: Node<'_>) -> Result<Expr> {
        if kind(node) == "parenthesized_list_splat" {
            return self.error(ParseErrorKind::StarredHere, node);
        }
        let value = named_children(node)[0];
        // tree-sitter reads `{a, **b}` as a set holding `*(*b)`; Python has no such element.
        if kind(value) == "list_splat" {
            return self.error(
                ParseErrorKind::InvalidSyntax {
                    found: "'**'".into(),
                },
                node,
            );
        }
        let value = match self.alone.expressions.remove(&(value.start_byte() as u32)) {
            Some(read) => read,
            None => self.expr(value)?,
        };
        Ok(Expr::Starred(ExprStarred {
            range: range(node),
            value: Box::new(value),
            ctx: ExprContext::Load,
        }))
    }

    /// The elements of a bracketed tuple, refusing `(*x)`: tree-sitter reads a lone starred
    /// expression in parentheses as a tuple, where Python has no such thing.
    fn no_lone_star(&self, node: Node<'_>, elts: Vec<Expr>) -> Result<Vec<Expr>> {
        if let [Expr::Starred(_)] = elts.as_slice() {
            if !has_token(node, ",") {
                return self.error(ParseErrorKind::StarredHere, node);
            }
        }
        Ok(elts)
    }

    /// `tuple_pattern`, `list_pattern`, `list_splat_pattern` in a load position.
    #[inline(never)]
    fn pattern_as_expr(&mut self, node: Node<'_>) -> Result<Expr> {
        let r = range(node);
        Ok(match kind(node) {
            "tuple_pattern" => {
                let elts = self.elements(node)?;
                let elts = self.no_lone_star(node, elts)?;
                // `(x)` is the parenthesised `x`, `(x,)` a tuple.
                if elts.len() == 1 && !has_token(node, ",") {
                    return Ok(elts.into_iter().next().expect("one element"));
                }
                Expr::Tuple(ExprTuple {
                    range: r,
                    elts,
                    ctx: ExprContext::Load,
                    parenthesized: true,
                })
            }
            "list_pattern" => Expr::List(ExprList {
                range: r,
                elts: self.elements(node)?,
                ctx: ExprContext::Load,
            }),
            _ => Expr::Starred(ExprStarred {
                range: r,
                value: Box::new(self.expr(named_children(node)[0])?),
                ctx: ExprContext::Load,
            }),
        })
    }

    #[inline(never)]
    fn dictionary(&mut self, node: Node<'_>) -> Result<Expr> {
        let all = children(node);
        self.check_commas(&all)?;
        let mut keys = Vec::new();
        let mut values = Vec::new();
        for item in all.into_iter().filter(Node::is_named) {
            match kind(item) {
                "pair" => {
                    keys.push(Some(self.expr(self.required(item, Field::Key)?)?));
                    values.push(self.expr(self.required(item, Field::Value)?)?);
                }
                "dictionary_splat" => {
                    keys.push(None);
                    values.push(self.expr(named_children(item)[0])?);
                }
                _ => return self.unexpected(item, "a dict display"),
            }
        }
        Ok(Expr::Dict(ExprDict {
            range: range(node),
            keys,
            values,
        }))
    }

    #[inline(never)]
    fn comprehension(&mut self, node: Node<'_>) -> Result<Expr> {
        let r = range(node);
        let body = self.required(node, Field::Body)?;
        let mut generators: Vec<Comprehension> = Vec::new();
        for clause in named_children(node) {
            match kind(clause) {
                "for_in_clause" => {
                    let left = self.required(clause, Field::Left)?;
                    let rights: Vec<_> = crate::cst::field_children(clause, Field::Right)
                        .into_iter()
                        .filter(|n| n.is_named())
                        .collect();
                    // `in a, b` and `in a,` are tuples CPython wants parenthesized.
                    let tokens = children(clause);
                    let after_in = tokens
                        .iter()
                        .skip_while(|t| kind(**t) != "in")
                        .any(|t| kind(*t) == ",");
                    if rights.len() != 1 || after_in {
                        return self.error(
                            ParseErrorKind::InvalidSyntax {
                                found: "','".into(),
                            },
                            clause,
                        );
                    }
                    generators.push(Comprehension {
                        range: range(clause),
                        target: self.target(left, TargetAction::Assign)?,
                        iter: self.expr(rights[0])?,
                        ifs: Vec::new(),
                        is_async: starts_with_token(clause, "async"),
                    });
                }
                "if_clause" => {
                    let test = self.expr(named_children(clause)[0])?;
                    match generators.last_mut() {
                        Some(g) => g.ifs.push(test),
                        None => return self.unexpected(clause, "a comprehension"),
                    }
                }
                _ => {}
            }
        }
        Ok(match kind(node) {
            "list_comprehension" => Expr::ListComp(ExprListComp {
                range: r,
                elt: Box::new(self.expr(body)?),
                generators,
            }),
            "set_comprehension" => Expr::SetComp(ExprSetComp {
                range: r,
                elt: Box::new(self.expr(body)?),
                generators,
            }),
            "dictionary_comprehension" => Expr::DictComp(ExprDictComp {
                range: r,
                key: Box::new(self.expr(self.required(body, Field::Key)?)?),
                value: Box::new(self.expr(self.required(body, Field::Value)?)?),
                generators,
            }),
            _ => Expr::GeneratorExp(ExprGeneratorExp {
                range: r,
                elt: Box::new(self.expr(body)?),
                generators,
                parenthesized: true,
            }),
        })
    }

    #[inline(never)]
    fn subscript(&mut self, node: Node<'_>) -> Result<Expr> {
        let r = range(node);
        let (value, star) = self.postfix_base(self.required(node, Field::Value)?)?;
        let items = crate::cst::field_children(node, Field::Subscript);
        let trailing_comma = children(node)
            .iter()
            .rev()
            .nth(1)
            .is_some_and(|c| kind(*c) == ",");
        let mut elts = items
            .iter()
            .map(|i| self.expr(*i))
            .collect::<Result<Vec<_>>>()?;
        // `x[a]` indexes with `a`; `x[a, b]`, `x[a,]` and `x[*a]` with a tuple.
        let slice = if elts.len() == 1 && !trailing_comma && !matches!(elts[0], Expr::Starred(_)) {
            elts.pop().expect("one element")
        } else {
            let start = items.first().map_or(r, |i| range(*i));
            let end = items.last().map_or(r, |i| range(*i));
            Expr::Tuple(ExprTuple {
                range: start.cover(end),
                elts,
                ctx: ExprContext::Load,
                parenthesized: false,
            })
        };
        let subscript = Expr::Subscript(ExprSubscript {
            range: r,
            value: Box::new(value),
            slice: Box::new(slice),
            ctx: ExprContext::Load,
        });
        Ok(restar(subscript, star))
    }

    /// `lower:upper:step`, any part optional; the colons say which part each expression is.
    #[inline(never)]
    fn slice(&mut self, node: Node<'_>) -> Result<Expr> {
        let mut parts: [Option<Box<Expr>>; 3] = [None, None, None];
        let mut index = 0;
        for child in children(node) {
            if kind(child) == ":" {
                index += 1;
            } else if index < 3 {
                parts[index] = Some(Box::new(self.expr(child)?));
            }
        }
        let [lower, upper, step] = parts;
        Ok(Expr::Slice(ExprSlice {
            range: range(node),
            lower,
            upper,
            step,
        }))
    }

    #[inline(never)]
    fn call(&mut self, node: Node<'_>) -> Result<Expr> {
        let (func, star) = self.postfix_base(self.required(node, Field::Function)?)?;
        let arguments = self.required(node, Field::Arguments)?;
        let (args, keywords) = if kind(arguments) == "generator_expression" {
            let mut generator = self.expr(arguments)?;
            if let Expr::GeneratorExp(g) = &mut generator {
                g.parenthesized = false;
            }
            (vec![generator], Vec::new())
        } else {
            self.call_arguments(arguments)?
        };
        let call = Expr::Call(ExprCall {
            range: range(node),
            func: Box::new(func),
            args,
            keywords,
        });
        Ok(restar(call, star))
    }

    /// The object of a call, attribute or subscript. tree-sitter reads `*f(x)` as a call of
    /// `*f`, where Python means `*(f(x))`: a starred base is unwrapped here and its star
    /// returned, for `restar` to put around the whole postfix expression.
    fn postfix_base(&mut self, node: Node<'_>) -> Result<(Expr, Option<TextRange>)> {
        match self.expr(node)? {
            Expr::Starred(starred) if kind(node) != "parenthesized_expression" => {
                Ok((*starred.value, Some(starred.range)))
            }
            other => Ok((other, None)),
        }
    }

    /// Binary operators in a row, regrouped by Python's precedence: tree-sitter-python ranks
    /// `^` above `&`, so its grouping of `a ^ b & c` cannot be trusted.
    #[inline(never)]
    fn binary_chain(&mut self, node: Node<'_>) -> Result<Expr> {
        enum Item<'t> {
            Visit(Node<'t>),
            Operator(Operator),
        }
        let mut operands = Vec::new();
        let mut operators = Vec::new();
        let mut stack = vec![Item::Visit(node)];
        while let Some(item) = stack.pop() {
            match item {
                Item::Visit(n) if kind(n) == "binary_operator" => {
                    let op_node = self.required(n, Field::Operator)?;
                    let Some(op) = binary_operator(kind(op_node)) else {
                        return self.unexpected(op_node, "a binary operation");
                    };
                    stack.push(Item::Visit(self.required(n, Field::Right)?));
                    stack.push(Item::Operator(op));
                    stack.push(Item::Visit(self.required(n, Field::Left)?));
                }
                // `A | B` in an annotation; tree-sitter groups these to the right.
                Item::Visit(n) if kind(n) == "union_type" => {
                    for (i, part) in named_children(n).into_iter().enumerate().rev() {
                        stack.push(Item::Visit(part));
                        if i > 0 {
                            stack.push(Item::Operator(Operator::BitOr));
                        }
                    }
                }
                Item::Visit(n) if kind(n) == "type" && is_operator_type(n) => {
                    stack.push(Item::Visit(named_children(n)[0]));
                }
                Item::Visit(n) => operands.push(n),
                Item::Operator(op) => operators.push(op),
            }
        }
        // Operands go through `annotation`, which reads plain expressions and type nodes
        // alike; each value carries the depth of the operator tree built above it.
        let mut values: Vec<(Expr, u32)> = Vec::with_capacity(operands.len());
        let mut pending: Vec<Operator> = Vec::new();
        // tree-sitter reads `[*a + b]` as `(*a) + b`; Python means `*(a + b)`.
        let (first, star) = match self.annotation(operands[0])? {
            Expr::Starred(s) if kind(operands[0]) != "parenthesized_expression" => {
                (*s.value, Some(s.range))
            }
            other => (other, None),
        };
        values.push((first, 0));
        for (op, operand) in operators.into_iter().zip(&operands[1..]) {
            while let Some(&top) = pending.last() {
                let binds_first = operator_prec(top) > operator_prec(op)
                    || (operator_prec(top) == operator_prec(op) && op != Operator::Pow);
                if !binds_first {
                    break;
                }
                pending.pop();
                self.reduce(&mut values, top, node)?;
            }
            pending.push(op);
            values.push((self.annotation(*operand)?, 0));
        }
        while let Some(top) = pending.pop() {
            self.reduce(&mut values, top, node)?;
        }
        let chain = values.pop().expect("a chain has at least one operand").0;
        Ok(restar(chain, star))
    }

    /// Replaces the last two values with their combination by `op`, failing once the chain
    /// nests deeper than `MAX_DEPTH` (a sum of 10,000 terms is 10,000 levels deep).
    fn reduce(&self, values: &mut Vec<(Expr, u32)>, op: Operator, chain: Node<'_>) -> Result<()> {
        let (right, right_depth) = values.pop().expect("an operator has a right operand");
        let (left, left_depth) = values.pop().expect("an operator has a left operand");
        let depth = left_depth.max(right_depth) + 1;
        if self.depth + depth > super::MAX_DEPTH {
            let limit = super::MAX_DEPTH;
            return self.error(ParseErrorKind::TooDeep { limit }, chain);
        }
        let combined = Expr::BinOp(ExprBinOp {
            range: left.range().cover(right.range()),
            left: Box::new(left),
            op,
            right: Box::new(right),
        });
        values.push((combined, depth));
        Ok(())
    }

    /// `await a ** b` is `(await a) ** b`; tree-sitter reads `await (a ** b)`.
    #[inline(never)]
    fn await_expr(&mut self, node: Node<'_>) -> Result<Expr> {
        let operand = named_children(node)[0];
        let is_power = kind(operand) == "binary_operator"
            && field(operand, Field::Operator).is_some_and(|op| kind(op) == "**");
        if !is_power {
            return Ok(Expr::Await(ExprAwait {
                range: range(node),
                value: Box::new(self.expr(operand)?),
            }));
        }
        let base = self.required(operand, Field::Left)?;
        let awaited = Expr::Await(ExprAwait {
            range: TextRange::new(node.start_byte() as u32, base.end_byte() as u32),
            value: Box::new(self.expr(base)?),
        });
        Ok(Expr::BinOp(ExprBinOp {
            range: range(node),
            left: Box::new(awaited),
            op: Operator::Pow,
            right: Box::new(self.expr(self.required(operand, Field::Right)?)?),
        }))
    }

    #[inline(never)]
    fn yield_expr(&mut self, node: Node<'_>) -> Result<Expr> {
        let r = range(node);
        if has_token(node, "from") {
            let value = named_children(node)[0];
            return Ok(Expr::YieldFrom(ExprYieldFrom {
                range: r,
                value: Box::new(self.expr(value)?),
            }));
        }
        Ok(Expr::Yield(ExprYield {
            range: r,
            value: self.optional_expressions(node)?.map(Box::new),
        }))
    }

    /// `a and b and c` is one `BoolOp`; tree-sitter nests it to the left, so walk that spine.
    #[inline(never)]
    fn boolean_operator(&mut self, node: Node<'_>) -> Result<Expr> {
        let op_text = kind(self.required(node, Field::Operator)?);
        let op = if op_text == "and" {
            BoolOp::And
        } else {
            BoolOp::Or
        };
        let mut rights = Vec::new();
        let mut current = node;
        loop {
            rights.push(self.required(current, Field::Right)?);
            let left = self.required(current, Field::Left)?;
            let same_op = kind(left) == "boolean_operator"
                && field(left, Field::Operator).map(|o| kind(o)) == Some(op_text);
            if !same_op {
                rights.push(left);
                break;
            }
            current = left;
        }
        let values = rights
            .into_iter()
            .rev()
            .map(|n| self.expr(n))
            .collect::<Result<_>>()?;
        Ok(Expr::BoolOp(ExprBoolOp {
            range: range(node),
            op,
            values,
        }))
    }

    #[inline(never)]
    fn comparison(&mut self, node: Node<'_>) -> Result<Expr> {
        let mut operands = Vec::new();
        let mut ops = Vec::new();
        for child in children(node) {
            if child.is_named() {
                operands.push(self.expr(child)?);
                continue;
            }
            ops.push(match kind(child) {
                "<" => CmpOp::Lt,
                "<=" => CmpOp::LtE,
                ">" => CmpOp::Gt,
                ">=" => CmpOp::GtE,
                "==" => CmpOp::Eq,
                "!=" => CmpOp::NotEq,
                "in" => CmpOp::In,
                "not in" => CmpOp::NotIn,
                "is" => CmpOp::Is,
                "is not" => CmpOp::IsNot,
                "<>" => {
                    return self.error(
                        ParseErrorKind::Python2(Python2Construct::NotEqualDiamond),
                        child,
                    )
                }
                _ => return self.unexpected(child, "a comparison"),
            });
        }
        let mut operands = operands.into_iter();
        let Some(left) = operands.next() else {
            return self.unexpected(node, "a comparison");
        };
        Ok(Expr::Compare(ExprCompare {
            range: range(node),
            left: Box::new(left),
            ops,
            comparators: operands.collect(),
        }))
    }

    /// A `type` node (annotation, return type, alias value) as the expression it spells.
    pub(super) fn annotation(&mut self, node: Node<'_>) -> Result<Expr> {
        if let Some(read) = self.alone.expressions.remove(&(node.start_byte() as u32)) {
            return Ok(read);
        }
        self.nested(node, |l| l.annotation_inner(node))
    }

    fn annotation_inner(&mut self, node: Node<'_>) -> Result<Expr> {
        let r = range(node);
        match kind(node) {
            "type" => {
                let inner = named_children(node);
                match inner.first() {
                    Some(&inner) => self.annotation(inner),
                    None => self.unexpected(node, "an annotation"),
                }
            }
            "generic_type" => {
                let parts = named_children(node);
                let value = self.annotation(parts[0])?;
                let params = parts.get(1).copied();
                let types = params.map(named_children).unwrap_or_default();
                let trailing_comma = params.is_some_and(|p| {
                    children(p)
                        .iter()
                        .rev()
                        .nth(1)
                        .is_some_and(|c| kind(*c) == ",")
                });
                let is_splat = |t: Node<'_>| {
                    named_children(t)
                        .first()
                        .is_some_and(|c| kind(*c) == "splat_type")
                };
                let slice = if types.len() == 1 && !trailing_comma && !is_splat(types[0]) {
                    self.annotation(types[0])?
                } else {
                    let elts = types
                        .iter()
                        .map(|t| self.annotation(*t))
                        .collect::<Result<Vec<_>>>()?;
                    Expr::Tuple(ExprTuple {
                        range: params.map_or(r, |p| {
                            let inner = range(p);
                            TextRange::new(
                                inner.start + 1,
                                inner.end.saturating_sub(1).max(inner.start + 1),
                            )
                        }),
                        elts,
                        ctx: ExprContext::Load,
                        parenthesized: false,
                    })
                };
                Ok(Expr::Subscript(ExprSubscript {
                    range: r,
                    value: Box::new(value),
                    slice: Box::new(slice),
                    ctx: ExprContext::Load,
                }))
            }
            "union_type" => self.binary_chain(node),
            "member_type" => {
                let parts = named_children(node);
                Ok(Expr::Attribute(ExprAttribute {
                    range: r,
                    value: Box::new(self.annotation(parts[0])?),
                    attr: self.identifier(parts[1]),
                    ctx: ExprContext::Load,
                }))
            }
            "splat_type" => Ok(Expr::Starred(ExprStarred {
                range: r,
                value: Box::new(self.annotation(named_children(node)[0])?),
                ctx: ExprContext::Load,
            })),
            "constrained_type" => self.unexpected(node, "an annotation"),
            _ => self.expr(node),
        }
    }
}

/// Puts back the star `postfix_base` took off.
fn restar(expr: Expr, star: Option<TextRange>) -> Expr {
    match star {
        Some(star) => Expr::Starred(ExprStarred {
            range: star.cover(expr.range()),
            value: Box::new(expr),
            ctx: ExprContext::Load,
        }),
        None => expr,
    }
}

/// Whether an unparenthesised `x := …` may stand where `node` is. Python allows it only in
/// conditions, elements of displays, positional arguments, subscripts and decorators.
fn walrus_allowed_in(node: Node<'_>) -> bool {
    let Some(parent) = node.parent() else {
        return false;
    };
    match kind(parent) {
        "parenthesized_expression"
        | "list"
        | "set"
        | "tuple"
        | "argument_list"
        | "subscript"
        | "if_statement"
        | "elif_clause"
        | "while_statement"
        | "match_statement"
        | "decorator"
        | "interpolation" => true,
        "list_comprehension" | "set_comprehension" | "generator_expression" => {
            field(parent, Field::Body) == Some(node)
        }
        "if_clause" => parent.parent().is_some_and(|p| kind(p) == "case_clause"),
        _ => false,
    }
}

/// A `type` node that only wraps an operator chain, which `binary_chain` flattens through.
fn is_operator_type(node: Node<'_>) -> bool {
    match named_children(node)[..] {
        [inner] => matches!(kind(inner), "union_type" | "binary_operator"),
        _ => false,
    }
}

/// The walrus at the left end of an operator expression, which tree-sitter binds tighter
/// than Python does.
fn walrus_on_left(node: Node<'_>) -> Option<Node<'_>> {
    let mut current = node;
    loop {
        if !matches!(
            kind(current),
            "conditional_expression"
                | "boolean_operator"
                | "comparison_operator"
                | "binary_operator"
        ) {
            return None;
        }
        let first = current.named_child(0)?;
        if kind(first) == "named_expression" {
            return Some(first);
        }
        current = first;
    }
}
