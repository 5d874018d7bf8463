//! SimPy text to the shared AST: a logos lexer and a lalrpop grammar.
//!
//! [`parse_simpy`] accepts canonical SimPy (grammar/SPEC.md) and the few non-canonical
//! spellings SPEC.md lists, each with exactly one meaning; anything else is an error with a
//! range, the token found and what was expected. It never panics and never loops.
//!
//! This is the only crate that knows logos and lalrpop. It prints nothing and does no IO.

mod actions;
mod chain;
mod depth;
mod dialect;
mod error;
mod export;
mod idiom;
mod layout;
mod lexer;
mod token;

lalrpop_util::lalrpop_mod!(
    #[allow(
        clippy::all,
        clippy::pedantic,
        unused_imports,
        unused_parens,
        dead_code
    )]
    grammar
);

pub use dialect::{
    respell, respell_prefix, unspell, unspell_from, Resume, SourceMap, Spelling, Unspelt,
};
pub use error::{OpenBlock, SimpyError, SimpyErrorKind};
pub use export::{export_grammar, export_spelled_grammar, GrammarFormat};
pub use idiom::{mine, Expanded, IdiomKinds, Idioms, Piece};
pub use token::Special;

use lalrpop_util::ParseError;
use simpy_ast::{Comments, ModModule, TextRange};

/// A parsed SimPy text: its tree and its comments, with ranges into the SimPy text.
#[derive(Clone, Debug)]
pub struct ParsedSimpy {
    pub module: ModModule,
    pub comments: Comments,
}

/// The deepest tree accepted, as for Python input (`simpy_python::MAX_DEPTH`).
pub const MAX_DEPTH: u32 = simpy_python::MAX_DEPTH;

/// Parses SimPy text to the shared AST.
pub fn parse_simpy(src: &str) -> Result<ParsedSimpy, SimpyError> {
    parse_simpy_nested(src, 0)
}

/// [`parse_simpy`] of statements that stand `levels` nodes deep (inside blocks): the depth
/// limit counts those levels too.
pub fn parse_simpy_nested(src: &str, levels: u32) -> Result<ParsedSimpy, SimpyError> {
    // The parser keeps its stacks on the heap, but building, checking and dropping a deep
    // tree recurse; give them a stack in proportion to the input (reserved, touched only
    // as deep as the tree goes).
    let stack = (src.len().saturating_mul(256)).clamp(1 << 20, 1 << 34);
    stacker::maybe_grow(stack / 2, stack, || parse_on_big_stack(src, levels))
}

fn parse_on_big_stack(src: &str, levels: u32) -> Result<ParsedSimpy, SimpyError> {
    // Python refuses a null byte anywhere, even in a string, so SimPy does too.
    if let Some(at) = src.find('\0') {
        let at = at as u32;
        let kind = SimpyErrorKind::Rule(simpy_python::ParseErrorKind::NullByte);
        return Err(SimpyError::new(kind, TextRange::new(at, at + 1)));
    }
    let lexemes = lexer::scan(src)?;
    let (tokens, comments) = layout::layout(&lexemes);
    let end = src.len();
    let blocks = || open_block(src, &tokens);
    let body = grammar::ModuleParser::new()
        .parse(tokens.iter().copied())
        .map_err(|e| convert_error(e, end, blocks))?;
    let module = ModModule {
        range: TextRange::new(0, end as u32),
        body,
    };
    if depth::exceeds(&module, MAX_DEPTH.saturating_sub(levels)) {
        return Err(SimpyError::new(
            SimpyErrorKind::TooDeep,
            TextRange::new(0, end as u32),
        ));
    }
    simpy_python::check_starred(&module)
        .map_err(|e| SimpyError::new(SimpyErrorKind::Rule(e.kind), e.range))?;
    Ok(ParsedSimpy {
        module,
        comments: Comments { items: comments },
    })
}

fn convert_error(
    e: ParseError<usize, token::Tok<'_>, SimpyError>,
    end: usize,
    open_block: impl FnOnce() -> Option<OpenBlock>,
) -> SimpyError {
    let at = |l: usize, r: usize| TextRange::new(l as u32, r as u32);
    match e {
        ParseError::User { error } => error,
        ParseError::UnrecognizedEof { location, expected } => {
            let expected = readable(expected);
            let open_block = expected
                .iter()
                .any(|e| e == "<block_end>")
                .then(open_block)
                .flatten();
            SimpyError::new(
                SimpyErrorKind::Truncated {
                    expected,
                    open_block,
                },
                at(location.min(end), end),
            )
        }
        ParseError::UnrecognizedToken {
            token: (l, tok, r),
            expected,
        } => SimpyError::new(
            SimpyErrorKind::Unexpected {
                found: tok.to_string(),
                expected: readable(expected),
            },
            at(l, r),
        ),
        ParseError::ExtraToken { token: (l, tok, r) } => SimpyError::new(
            SimpyErrorKind::Unexpected {
                found: tok.to_string(),
                expected: Vec::new(),
            },
            at(l, r),
        ),
        ParseError::InvalidToken { location } => SimpyError::new(
            SimpyErrorKind::UnknownCharacter(' '),
            at(location, location),
        ),
    }
}

/// The innermost `<block_start>` without its `<block_end>`, named by its header: every block
/// opens after a header that starts with a statement token (`<def_stmt>`, `<else_stmt>`, …).
fn open_block(src: &str, tokens: &[layout::Triple<'_>]) -> Option<OpenBlock> {
    use token::{Special, Tok};
    let mut header = 0;
    // (where the header began, where its <block_start> is)
    let mut open: Vec<(usize, usize)> = Vec::new();
    for &(start, tok, _) in tokens {
        match tok {
            Tok::Special(Special::BlockStart) => open.push((header, start)),
            Tok::Special(Special::BlockEnd) => {
                open.pop();
            }
            Tok::Special(s) if s.starts_statement() => header = start,
            _ => {}
        }
    }
    let &(header, block) = open.last()?;
    let text = src[header..block].trim_end();
    let shown: String = text.chars().take(40).collect();
    let ellipsis = if text.chars().count() > 40 { "…" } else { "" };
    let index = simpy_ast::LineIndex::new(src);
    let location = index.line_col(src, header as u32);
    Some(OpenBlock {
        header: format!("{shown}{ellipsis}"),
        line: location.line,
        col: location.col,
        open: open.len(),
    })
}

/// lalrpop names terminals as written in the grammar (`"\"<if>\""`, `SP`); show them plainly.
fn readable(expected: Vec<String>) -> Vec<String> {
    expected
        .into_iter()
        .map(|e| match e.as_str() {
            "SP" => "space".to_owned(),
            "NAME" => "name".to_owned(),
            "NUMBER" => "number".to_owned(),
            "STRING" => "string".to_owned(),
            "FSTART" => "f-string".to_owned(),
            "FMIDDLE" => "f-string text".to_owned(),
            "FEND" => "end of f-string".to_owned(),
            "FIELD_OPEN" => "`{`".to_owned(),
            "FIELD_CLOSE" => "`}`".to_owned(),
            "FCONV" => "`!r`".to_owned(),
            "FSPEC" => "`:`".to_owned(),
            other => {
                let t = other.trim_matches('"');
                if t.starts_with('<') {
                    t.to_owned()
                } else {
                    format!("`{t}`")
                }
            }
        })
        .collect()
}
