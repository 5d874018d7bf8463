//! The second lexer pass: which whitespace is a separator, and which comments are on their
//! own line. The rules are grammar/SPEC.md §"Accepted input"; each accepted spelling has one
//! meaning, and a space the rules keep where the grammar has no use for it is an error.

use crate::lexer::{Lexeme, Spanned};
use crate::token::{Punct, Special, Tok};
use simpy_ast::{Comment, TextRange};

/// A token for the parser: (start, token, end).
pub type Triple<'a> = (usize, Tok<'a>, usize);

pub fn layout<'a>(lexemes: &[Spanned<'a>]) -> (Vec<Triple<'a>>, Vec<Comment>) {
    let mut tokens: Vec<Triple<'a>> = Vec::with_capacity(lexemes.len());
    let mut comments = Vec::new();
    // Whether the last thing seen (token or comment) allows a comment after it to be "own line".
    let mut after_delimiter = true;
    for (i, lexeme) in lexemes.iter().enumerate() {
        match lexeme.tok {
            Lexeme::Tok(tok) => {
                tokens.push((lexeme.start as usize, tok, lexeme.end as usize));
                after_delimiter = matches!(
                    tok,
                    Tok::Special(Special::LineSep | Special::BlockStart | Special::BlockEnd)
                );
            }
            Lexeme::Comment(text) => {
                let previous_end = tokens.last().map_or(0, |t| t.2 as u32);
                comments.push(Comment {
                    range: TextRange::new(lexeme.start, lexeme.start + text.len() as u32),
                    text: text.into(),
                    own_line: after_delimiter,
                    line_start: if after_delimiter {
                        lexeme.start
                    } else {
                        previous_end
                    },
                });
                after_delimiter = true;
            }
            // Only `idiom::expand` scans for idioms, and it parses what they stand for.
            Lexeme::Idiom(_) => {}
            Lexeme::Whitespace => {
                let prev = match lexemes[..i].last().map(|l| l.tok) {
                    Some(Lexeme::Tok(tok)) => Some(tok),
                    _ => None,
                };
                let next = lexemes.get(i + 1).map(|l| l.tok);
                let after_next = lexemes.get(i + 2).map(|l| l.tok);
                if is_separator(prev, next, after_next) {
                    tokens.push((lexeme.start as usize, Tok::Space, lexeme.end as usize));
                }
            }
        }
    }
    (tokens, comments)
}

/// Whether whitespace between `prev` and `next` is a separator (the comma of Python) rather
/// than layout. `None` stands for the start or end of input, or a comment.
fn is_separator(
    prev: Option<Tok<'_>>,
    next: Option<Lexeme<'_>>,
    after_next: Option<Lexeme<'_>>,
) -> bool {
    let Some(prev) = prev else { return false };
    let Some(Lexeme::Tok(next)) = next else {
        return false;
    };
    if drops_space_after(prev) || drops_space_before(next) {
        return false;
    }
    // `a - b` is a subtraction; `a -b` is two elements, the second negated.
    if matches!(next, Tok::Punct(Punct::Minus | Punct::Plus))
        && ends_operand(prev)
        && matches!(after_next, Some(Lexeme::Whitespace))
    {
        return false;
    }
    true
}

/// Tokens after which a space cannot separate anything.
pub(crate) fn drops_space_after(tok: Tok<'_>) -> bool {
    match tok {
        Tok::Special(s) => {
            is_binary_only(s)
                || s.starts_statement()
                || matches!(
                    s,
                    Special::LineSep
                        | Special::BlockStart
                        | Special::BlockEnd
                        | Special::Return
                        | Special::Raise
                        | Special::Yield
                        | Special::Await
                        | Special::Not
                        | Special::Global
                        | Special::Nonlocal
                )
        }
        Tok::Punct(p) => {
            is_binary_only_punct(p)
                || matches!(
                    p,
                    Punct::LParen
                        | Punct::LBracket
                        | Punct::LBrace
                        | Punct::Minus
                        | Punct::Plus
                        | Punct::Tilde
                )
        }
        Tok::FieldOpen => true,
        _ => false,
    }
}

/// Tokens before which a space cannot separate anything.
pub(crate) fn drops_space_before(tok: Tok<'_>) -> bool {
    match tok {
        Tok::Special(s) => {
            is_binary_only(s)
                || matches!(
                    s,
                    Special::LineSep | Special::BlockStart | Special::BlockEnd
                )
        }
        Tok::Punct(p) => is_binary_only_punct(p),
        _ => false,
    }
}

/// Operators that can neither start nor end an operand: a space beside them is layout.
fn is_binary_only(s: Special) -> bool {
    use Special::*;
    matches!(
        s,
        Lt | Gt
            | LtE
            | GtE
            | Eq
            | NotEq
            | In
            | Is
            | IsNot
            | NotIn
            | And
            | Or
            | If
            | Else
            | For
            | From
            | As
            | Arrow
            | Concat
            | LShift
            | RShift
            | FloorDiv
            | Times
            | Power
            | AugAdd
            | AugSub
            | AugMul
            | AugDiv
            | AugMatMul
            | AugFloorDiv
            | AugMod
            | AugPow
            | AugRShift
            | AugLShift
            | AugAnd
            | AugXor
            | AugOr
    )
}

/// `/` is left out: it is also the positional-only marker, a parameter of its own (`a / b`).
fn is_binary_only_punct(p: Punct) -> bool {
    matches!(
        p,
        Punct::Percent
            | Punct::At
            | Punct::Amp
            | Punct::Pipe
            | Punct::Caret
            | Punct::Equal
            | Punct::ColonEqual
    )
}

/// Tokens that can end an operand, so that a `-` right after them subtracts.
fn ends_operand(tok: Tok<'_>) -> bool {
    match tok {
        Tok::Name(_) | Tok::Number(_) | Tok::Str(_) | Tok::FEnd => true,
        Tok::Punct(p) => matches!(
            p,
            Punct::RParen | Punct::RBracket | Punct::RBrace | Punct::Ellipsis
        ),
        Tok::Special(s) => matches!(
            s,
            Special::True | Special::False | Special::None | Special::Ellipsis
        ),
        _ => false,
    }
}
