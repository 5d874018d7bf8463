//! One struct per CPython `ast` node (Python 3.13), grouped in the enums `Stmt`, `Expr` and `Pattern`.
//!
//! Departures from CPython, each for the printers' sake:
//! - `async` variants are a flag (`is_async`) on `StmtFunctionDef`, `StmtFor`, `StmtWith` and `Comprehension`;
//!   `Try`/`TryStar` likewise share `StmtTry` with `is_star`.
//! - Numbers and plain strings keep their source spelling; f-strings keep their written structure
//!   (`ExprFString`), from which CPython's `JoinedStr` view is derived (see `dump`).

use crate::PyStr;
use crate::TextRange;
use num_bigint::BigInt;

#[derive(Clone, Debug)]
pub struct ModModule {
    pub range: TextRange,
    pub body: Vec<Stmt>,
}

#[derive(Clone, Debug)]
pub enum Stmt {
    FunctionDef(StmtFunctionDef),
    ClassDef(StmtClassDef),
    Return(StmtReturn),
    Delete(StmtDelete),
    Assign(StmtAssign),
    TypeAlias(StmtTypeAlias),
    AugAssign(StmtAugAssign),
    AnnAssign(StmtAnnAssign),
    For(StmtFor),
    While(StmtWhile),
    If(StmtIf),
    With(StmtWith),
    Match(StmtMatch),
    Raise(StmtRaise),
    Try(StmtTry),
    Assert(StmtAssert),
    Import(StmtImport),
    ImportFrom(StmtImportFrom),
    Global(StmtGlobal),
    Nonlocal(StmtNonlocal),
    Expr(StmtExpr),
    Pass(TextRange),
    Break(TextRange),
    Continue(TextRange),
}

#[derive(Clone, Debug)]
pub struct StmtFunctionDef {
    pub range: TextRange,
    pub is_async: bool,
    pub decorator_list: Vec<Expr>,
    pub name: Identifier,
    pub type_params: Vec<TypeParam>,
    pub args: Box<Arguments>,
    pub returns: Option<Box<Expr>>,
    pub body: Vec<Stmt>,
}

#[derive(Clone, Debug)]
pub struct StmtClassDef {
    pub range: TextRange,
    pub decorator_list: Vec<Expr>,
    pub name: Identifier,
    pub type_params: Vec<TypeParam>,
    pub bases: Vec<Expr>,
    pub keywords: Vec<Keyword>,
    pub body: Vec<Stmt>,
}

#[derive(Clone, Debug)]
pub struct StmtReturn {
    pub range: TextRange,
    pub value: Option<Box<Expr>>,
}

#[derive(Clone, Debug)]
pub struct StmtDelete {
    pub range: TextRange,
    pub targets: Vec<Expr>,
}

#[derive(Clone, Debug)]
pub struct StmtAssign {
    pub range: TextRange,
    pub targets: Vec<Expr>,
    pub value: Box<Expr>,
}

#[derive(Clone, Debug)]
pub struct StmtTypeAlias {
    pub range: TextRange,
    pub name: Box<Expr>,
    pub type_params: Vec<TypeParam>,
    pub value: Box<Expr>,
}

#[derive(Clone, Debug)]
pub struct StmtAugAssign {
    pub range: TextRange,
    pub target: Box<Expr>,
    pub op: Operator,
    pub value: Box<Expr>,
}

#[derive(Clone, Debug)]
pub struct StmtAnnAssign {
    pub range: TextRange,
    pub target: Box<Expr>,
    pub annotation: Box<Expr>,
    pub value: Option<Box<Expr>>,
    /// CPython's `simple`: the target is a bare name, not parenthesised.
    pub simple: bool,
}

#[derive(Clone, Debug)]
pub struct StmtFor {
    pub range: TextRange,
    pub is_async: bool,
    pub target: Box<Expr>,
    pub iter: Box<Expr>,
    pub body: Vec<Stmt>,
    pub orelse: Vec<Stmt>,
}

#[derive(Clone, Debug)]
pub struct StmtWhile {
    pub range: TextRange,
    pub test: Box<Expr>,
    pub body: Vec<Stmt>,
    pub orelse: Vec<Stmt>,
}

/// `if`; an `elif` chain is nested `StmtIf`s in `orelse`, as in CPython.
#[derive(Clone, Debug)]
pub struct StmtIf {
    pub range: TextRange,
    pub test: Box<Expr>,
    pub body: Vec<Stmt>,
    pub orelse: Vec<Stmt>,
}

#[derive(Clone, Debug)]
pub struct StmtWith {
    pub range: TextRange,
    pub is_async: bool,
    pub items: Vec<WithItem>,
    pub body: Vec<Stmt>,
}

#[derive(Clone, Debug)]
pub struct StmtMatch {
    pub range: TextRange,
    pub subject: Box<Expr>,
    pub cases: Vec<MatchCase>,
}

#[derive(Clone, Debug)]
pub struct StmtRaise {
    pub range: TextRange,
    pub exc: Option<Box<Expr>>,
    pub cause: Option<Box<Expr>>,
}

/// `try` (CPython's `Try`), or with `is_star` the `except*` form (`TryStar`).
#[derive(Clone, Debug)]
pub struct StmtTry {
    pub range: TextRange,
    pub is_star: bool,
    pub body: Vec<Stmt>,
    pub handlers: Vec<ExceptHandler>,
    pub orelse: Vec<Stmt>,
    pub finalbody: Vec<Stmt>,
}

#[derive(Clone, Debug)]
pub struct StmtAssert {
    pub range: TextRange,
    pub test: Box<Expr>,
    pub msg: Option<Box<Expr>>,
}

#[derive(Clone, Debug)]
pub struct StmtImport {
    pub range: TextRange,
    pub names: Vec<Alias>,
}

#[derive(Clone, Debug)]
pub struct StmtImportFrom {
    pub range: TextRange,
    pub module: Option<Identifier>,
    pub names: Vec<Alias>,
    pub level: u32,
}

#[derive(Clone, Debug)]
pub struct StmtGlobal {
    pub range: TextRange,
    pub names: Vec<Identifier>,
}

#[derive(Clone, Debug)]
pub struct StmtNonlocal {
    pub range: TextRange,
    pub names: Vec<Identifier>,
}

#[derive(Clone, Debug)]
pub struct StmtExpr {
    pub range: TextRange,
    pub value: Box<Expr>,
}

#[derive(Clone, Debug)]
pub enum Expr {
    BoolOp(ExprBoolOp),
    NamedExpr(ExprNamedExpr),
    BinOp(ExprBinOp),
    UnaryOp(ExprUnaryOp),
    Lambda(ExprLambda),
    IfExp(ExprIfExp),
    Dict(ExprDict),
    Set(ExprSet),
    ListComp(ExprListComp),
    SetComp(ExprSetComp),
    DictComp(ExprDictComp),
    GeneratorExp(ExprGeneratorExp),
    Await(ExprAwait),
    Yield(ExprYield),
    YieldFrom(ExprYieldFrom),
    Compare(ExprCompare),
    Call(ExprCall),
    FString(ExprFString),
    Constant(ExprConstant),
    Attribute(ExprAttribute),
    Subscript(ExprSubscript),
    Starred(ExprStarred),
    Name(ExprName),
    List(ExprList),
    Tuple(ExprTuple),
    Slice(ExprSlice),
}

#[derive(Clone, Debug)]
pub struct ExprBoolOp {
    pub range: TextRange,
    pub op: BoolOp,
    pub values: Vec<Expr>,
}

#[derive(Clone, Debug)]
pub struct ExprNamedExpr {
    pub range: TextRange,
    pub target: Box<Expr>,
    pub value: Box<Expr>,
}

#[derive(Clone, Debug)]
pub struct ExprBinOp {
    pub range: TextRange,
    pub left: Box<Expr>,
    pub op: Operator,
    pub right: Box<Expr>,
}

#[derive(Clone, Debug)]
pub struct ExprUnaryOp {
    pub range: TextRange,
    pub op: UnaryOp,
    pub operand: Box<Expr>,
}

#[derive(Clone, Debug)]
pub struct ExprLambda {
    pub range: TextRange,
    pub args: Box<Arguments>,
    pub body: Box<Expr>,
}

#[derive(Clone, Debug)]
pub struct ExprIfExp {
    pub range: TextRange,
    pub test: Box<Expr>,
    pub body: Box<Expr>,
    pub orelse: Box<Expr>,
}

/// A dict display; a `None` key is a `**mapping` entry.
#[derive(Clone, Debug)]
pub struct ExprDict {
    pub range: TextRange,
    pub keys: Vec<Option<Expr>>,
    pub values: Vec<Expr>,
}

#[derive(Clone, Debug)]
pub struct ExprSet {
    pub range: TextRange,
    pub elts: Vec<Expr>,
}

#[derive(Clone, Debug)]
pub struct ExprListComp {
    pub range: TextRange,
    pub elt: Box<Expr>,
    pub generators: Vec<Comprehension>,
}

#[derive(Clone, Debug)]
pub struct ExprSetComp {
    pub range: TextRange,
    pub elt: Box<Expr>,
    pub generators: Vec<Comprehension>,
}

#[derive(Clone, Debug)]
pub struct ExprDictComp {
    pub range: TextRange,
    pub key: Box<Expr>,
    pub value: Box<Expr>,
    pub generators: Vec<Comprehension>,
}

#[derive(Clone, Debug)]
pub struct ExprGeneratorExp {
    pub range: TextRange,
    pub elt: Box<Expr>,
    pub generators: Vec<Comprehension>,
    /// Written as the sole argument of a call, sharing its parentheses: `f(x for x in y)`.
    pub parenthesized: bool,
}

#[derive(Clone, Debug)]
pub struct ExprAwait {
    pub range: TextRange,
    pub value: Box<Expr>,
}

#[derive(Clone, Debug)]
pub struct ExprYield {
    pub range: TextRange,
    pub value: Option<Box<Expr>>,
}

#[derive(Clone, Debug)]
pub struct ExprYieldFrom {
    pub range: TextRange,
    pub value: Box<Expr>,
}

#[derive(Clone, Debug)]
pub struct ExprCompare {
    pub range: TextRange,
    pub left: Box<Expr>,
    pub ops: Vec<CmpOp>,
    pub comparators: Vec<Expr>,
}

#[derive(Clone, Debug)]
pub struct ExprCall {
    pub range: TextRange,
    pub func: Box<Expr>,
    pub args: Vec<Expr>,
    pub keywords: Vec<Keyword>,
}

/// A string made of pieces, at least one of them an f-string (CPython's `JoinedStr`).
#[derive(Clone, Debug)]
pub struct ExprFString {
    pub range: TextRange,
    pub parts: Vec<FStringPart>,
}

#[derive(Clone, Debug)]
pub enum FStringPart {
    /// A plain string piece concatenated with f-strings: `"a" f"{b}"`.
    Literal(StringLiteral),
    FString(FString),
}

/// A plain string piece inside an f-string concatenation.
#[derive(Clone, Debug)]
pub struct StringLiteral {
    pub range: TextRange,
    pub value: PyStr,
    pub spelling: Option<StringPiece>,
}

/// One `f"…"` piece.
#[derive(Clone, Debug)]
pub struct FString {
    pub range: TextRange,
    /// The prefix as written (`f`, `rf`, `F`, `fR` …).
    pub prefix: Box<str>,
    /// `'`, `"`, `'''` or `"""`.
    pub quote: Box<str>,
    pub elements: Vec<FStringElement>,
}

#[derive(Clone, Debug)]
pub enum FStringElement {
    Literal(FStringLiteral),
    Field(FStringField),
}

#[derive(Clone, Debug)]
pub struct FStringLiteral {
    pub range: TextRange,
    pub value: PyStr,
    /// The source text (escapes and `{{` as written); `None` means print canonically.
    pub raw: Option<Box<str>>,
}

/// A replacement field `{expr=!r:spec}`.
#[derive(Clone, Debug)]
pub struct FStringField {
    pub range: TextRange,
    pub expression: Box<Expr>,
    /// For `{expr=}`: the verbatim text from after `{` through `=` and any spaces after it.
    pub debug_text: Option<Box<str>>,
    pub conversion: Conversion,
    /// `Some` when a `:` is present, even if the spec is empty.
    pub format_spec: Option<Vec<FStringElement>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Conversion {
    None,
    Str,
    Repr,
    Ascii,
}

#[derive(Clone, Debug)]
pub struct ExprConstant {
    pub range: TextRange,
    pub value: Constant,
    /// CPython's `kind`: `Some("u")` for a string whose first piece has a `u` prefix.
    pub kind: Option<Box<str>>,
    /// How the literal was written; empty for trees built without source text.
    pub spelling: Spelling,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Constant {
    None,
    True,
    False,
    Ellipsis,
    Int(BigInt),
    Float(f64),
    /// An imaginary literal: CPython's `complex(0, imag)`.
    Complex {
        imag: f64,
    },
    Str(PyStr),
    Bytes(Vec<u8>),
}

/// The source spelling of a literal that its value does not determine.
#[derive(Clone, Debug, Default)]
pub enum Spelling {
    /// Print canonically.
    #[default]
    Canonical,
    /// A number's text: `0xFF`, `1_000`, `1e3`, `2J`.
    Number(Box<str>),
    /// The pieces of an implicitly concatenated string or bytes literal.
    Strings(Vec<StringPiece>),
}

/// One string or bytes literal token as written.
#[derive(Clone, Debug)]
pub struct StringPiece {
    pub range: TextRange,
    pub prefix: Box<str>,
    /// `'`, `"`, `'''` or `"""`.
    pub quote: Box<str>,
    /// The text between the quotes, escapes as written.
    pub body: Box<str>,
}

#[derive(Clone, Debug)]
pub struct ExprAttribute {
    pub range: TextRange,
    pub value: Box<Expr>,
    pub attr: Identifier,
    pub ctx: ExprContext,
}

#[derive(Clone, Debug)]
pub struct ExprSubscript {
    pub range: TextRange,
    pub value: Box<Expr>,
    pub slice: Box<Expr>,
    pub ctx: ExprContext,
}

#[derive(Clone, Debug)]
pub struct ExprStarred {
    pub range: TextRange,
    pub value: Box<Expr>,
    pub ctx: ExprContext,
}

#[derive(Clone, Debug)]
pub struct ExprName {
    pub range: TextRange,
    pub id: Box<str>,
    pub ctx: ExprContext,
}

#[derive(Clone, Debug)]
pub struct ExprList {
    pub range: TextRange,
    pub elts: Vec<Expr>,
    pub ctx: ExprContext,
}

#[derive(Clone, Debug)]
pub struct ExprTuple {
    pub range: TextRange,
    pub elts: Vec<Expr>,
    pub ctx: ExprContext,
    /// Written with its own parentheses (`(a, b)`), not bare (`a, b`).
    pub parenthesized: bool,
}

#[derive(Clone, Debug)]
pub struct ExprSlice {
    pub range: TextRange,
    pub lower: Option<Box<Expr>>,
    pub upper: Option<Box<Expr>>,
    pub step: Option<Box<Expr>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExprContext {
    Load,
    Store,
    Del,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BoolOp {
    And,
    Or,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operator {
    Add,
    Sub,
    Mult,
    MatMult,
    Div,
    Mod,
    Pow,
    LShift,
    RShift,
    BitOr,
    BitXor,
    BitAnd,
    FloorDiv,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    Invert,
    Not,
    UAdd,
    USub,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    NotEq,
    Lt,
    LtE,
    Gt,
    GtE,
    Is,
    IsNot,
    In,
    NotIn,
}

#[derive(Clone, Debug)]
pub struct Comprehension {
    pub range: TextRange,
    pub target: Expr,
    pub iter: Expr,
    pub ifs: Vec<Expr>,
    pub is_async: bool,
}

#[derive(Clone, Debug)]
pub struct ExceptHandler {
    pub range: TextRange,
    pub type_: Option<Box<Expr>>,
    pub name: Option<Identifier>,
    pub body: Vec<Stmt>,
}

/// Parameters of a `def` or `lambda`; `defaults` align with the tail of `posonlyargs + args`.
#[derive(Clone, Debug, Default)]
pub struct Arguments {
    pub range: TextRange,
    pub posonlyargs: Vec<Arg>,
    pub args: Vec<Arg>,
    pub vararg: Option<Box<Arg>>,
    pub kwonlyargs: Vec<Arg>,
    /// One per keyword-only parameter; `None` where it has no default.
    pub kw_defaults: Vec<Option<Expr>>,
    pub kwarg: Option<Box<Arg>>,
    pub defaults: Vec<Expr>,
}

#[derive(Clone, Debug)]
pub struct Arg {
    pub range: TextRange,
    pub arg: Identifier,
    pub annotation: Option<Box<Expr>>,
}

/// A keyword argument; `arg` is `None` for `**mapping`.
#[derive(Clone, Debug)]
pub struct Keyword {
    pub range: TextRange,
    pub arg: Option<Identifier>,
    pub value: Expr,
}

#[derive(Clone, Debug)]
pub struct Alias {
    pub range: TextRange,
    /// Dotted name, `*` for a star import.
    pub name: Identifier,
    pub asname: Option<Identifier>,
}

#[derive(Clone, Debug)]
pub struct WithItem {
    pub range: TextRange,
    pub context_expr: Expr,
    pub optional_vars: Option<Box<Expr>>,
}

#[derive(Clone, Debug)]
pub struct MatchCase {
    pub range: TextRange,
    pub pattern: Pattern,
    pub guard: Option<Box<Expr>>,
    pub body: Vec<Stmt>,
}

#[derive(Clone, Debug)]
pub enum Pattern {
    MatchValue(PatternMatchValue),
    MatchSingleton(PatternMatchSingleton),
    MatchSequence(PatternMatchSequence),
    MatchMapping(PatternMatchMapping),
    MatchClass(PatternMatchClass),
    MatchStar(PatternMatchStar),
    MatchAs(PatternMatchAs),
    MatchOr(PatternMatchOr),
}

#[derive(Clone, Debug)]
pub struct PatternMatchValue {
    pub range: TextRange,
    pub value: Box<Expr>,
}

/// `None`, `True` or `False` as a pattern; `value` is one of those constants.
#[derive(Clone, Debug)]
pub struct PatternMatchSingleton {
    pub range: TextRange,
    pub value: Constant,
}

#[derive(Clone, Debug)]
pub struct PatternMatchSequence {
    pub range: TextRange,
    pub patterns: Vec<Pattern>,
}

#[derive(Clone, Debug)]
pub struct PatternMatchMapping {
    pub range: TextRange,
    pub keys: Vec<Expr>,
    pub patterns: Vec<Pattern>,
    pub rest: Option<Identifier>,
}

#[derive(Clone, Debug)]
pub struct PatternMatchClass {
    pub range: TextRange,
    pub cls: Box<Expr>,
    pub patterns: Vec<Pattern>,
    pub kwd_attrs: Vec<Identifier>,
    pub kwd_patterns: Vec<Pattern>,
}

#[derive(Clone, Debug)]
pub struct PatternMatchStar {
    pub range: TextRange,
    pub name: Option<Identifier>,
}

/// `pattern as name`, a capture `name`, or the wildcard `_` (both `None`).
#[derive(Clone, Debug)]
pub struct PatternMatchAs {
    pub range: TextRange,
    pub pattern: Option<Box<Pattern>>,
    pub name: Option<Identifier>,
}

#[derive(Clone, Debug)]
pub struct PatternMatchOr {
    pub range: TextRange,
    pub patterns: Vec<Pattern>,
}

#[derive(Clone, Debug)]
pub enum TypeParam {
    TypeVar(TypeParamTypeVar),
    ParamSpec(TypeParamParamSpec),
    TypeVarTuple(TypeParamTypeVarTuple),
}

impl TypeParam {
    /// What every kind has, for printers: the star prefix (`*`, `**` or none), the name, the
    /// bound (type variables only) and the PEP 696 default.
    pub fn parts(&self) -> (&'static str, &Identifier, Option<&Expr>, Option<&Expr>) {
        match self {
            TypeParam::TypeVar(t) => ("", &t.name, t.bound.as_deref(), t.default_value.as_deref()),
            TypeParam::ParamSpec(p) => ("**", &p.name, None, p.default_value.as_deref()),
            TypeParam::TypeVarTuple(p) => ("*", &p.name, None, p.default_value.as_deref()),
        }
    }
}

#[derive(Clone, Debug)]
pub struct TypeParamTypeVar {
    pub range: TextRange,
    pub name: Identifier,
    pub bound: Option<Box<Expr>>,
    pub default_value: Option<Box<Expr>>,
}

#[derive(Clone, Debug)]
pub struct TypeParamParamSpec {
    pub range: TextRange,
    pub name: Identifier,
    pub default_value: Option<Box<Expr>>,
}

#[derive(Clone, Debug)]
pub struct TypeParamTypeVarTuple {
    pub range: TextRange,
    pub name: Identifier,
    pub default_value: Option<Box<Expr>>,
}

/// A name (NFKC-normalised, as CPython stores it) with the range it was written at.
#[derive(Clone, Debug)]
pub struct Identifier {
    pub range: TextRange,
    pub id: Box<str>,
}

impl Identifier {
    pub fn as_str(&self) -> &str {
        &self.id
    }
}

impl Expr {
    pub fn range(&self) -> TextRange {
        match self {
            Expr::BoolOp(e) => e.range,
            Expr::NamedExpr(e) => e.range,
            Expr::BinOp(e) => e.range,
            Expr::UnaryOp(e) => e.range,
            Expr::Lambda(e) => e.range,
            Expr::IfExp(e) => e.range,
            Expr::Dict(e) => e.range,
            Expr::Set(e) => e.range,
            Expr::ListComp(e) => e.range,
            Expr::SetComp(e) => e.range,
            Expr::DictComp(e) => e.range,
            Expr::GeneratorExp(e) => e.range,
            Expr::Await(e) => e.range,
            Expr::Yield(e) => e.range,
            Expr::YieldFrom(e) => e.range,
            Expr::Compare(e) => e.range,
            Expr::Call(e) => e.range,
            Expr::FString(e) => e.range,
            Expr::Constant(e) => e.range,
            Expr::Attribute(e) => e.range,
            Expr::Subscript(e) => e.range,
            Expr::Starred(e) => e.range,
            Expr::Name(e) => e.range,
            Expr::List(e) => e.range,
            Expr::Tuple(e) => e.range,
            Expr::Slice(e) => e.range,
        }
    }
}

impl Stmt {
    pub fn range(&self) -> TextRange {
        match self {
            Stmt::FunctionDef(s) => s.range,
            Stmt::ClassDef(s) => s.range,
            Stmt::Return(s) => s.range,
            Stmt::Delete(s) => s.range,
            Stmt::Assign(s) => s.range,
            Stmt::TypeAlias(s) => s.range,
            Stmt::AugAssign(s) => s.range,
            Stmt::AnnAssign(s) => s.range,
            Stmt::For(s) => s.range,
            Stmt::While(s) => s.range,
            Stmt::If(s) => s.range,
            Stmt::With(s) => s.range,
            Stmt::Match(s) => s.range,
            Stmt::Raise(s) => s.range,
            Stmt::Try(s) => s.range,
            Stmt::Assert(s) => s.range,
            Stmt::Import(s) => s.range,
            Stmt::ImportFrom(s) => s.range,
            Stmt::Global(s) => s.range,
            Stmt::Nonlocal(s) => s.range,
            Stmt::Expr(s) => s.range,
            Stmt::Pass(r) | Stmt::Break(r) | Stmt::Continue(r) => *r,
        }
    }
}

impl Pattern {
    pub fn range(&self) -> TextRange {
        match self {
            Pattern::MatchValue(p) => p.range,
            Pattern::MatchSingleton(p) => p.range,
            Pattern::MatchSequence(p) => p.range,
            Pattern::MatchMapping(p) => p.range,
            Pattern::MatchClass(p) => p.range,
            Pattern::MatchStar(p) => p.range,
            Pattern::MatchAs(p) => p.range,
            Pattern::MatchOr(p) => p.range,
        }
    }
}
